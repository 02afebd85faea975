import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import * as path from 'node:path';
import { ARTIFACTS, DEMO_REGION, failOnConsoleErrors, hydrated, option, regionParam, signIn } from './helpers';

// Which API endpoint a request went to, by path.
const ENDPOINTS = {
  kpis: '/api/v1/analytics/kpis',
  timeseries: '/api/v1/analytics/timeseries',
  breakdown: '/api/v1/analytics/breakdown',
  customers: '/api/v1/analytics/customers',
  orders: '/api/v1/orders',
  status: '/api/v1/data/status',
} as const;
type Endpoint = keyof typeof ENDPOINTS;
type Counts = Record<Endpoint, number>;

const WIDGETS = ['kpi-cards', 'timeseries', 'breakdown-region', 'breakdown-category', 'orders-table'];

/** Counts the browser's API requests per endpoint from now on. */
function countRequests(page: Page) {
  const zero = (): Counts => ({ kpis: 0, timeseries: 0, breakdown: 0, customers: 0, orders: 0, status: 0 });
  let counts = zero();
  page.on('request', (request) => {
    const pathname = new URL(request.url()).pathname;
    for (const [name, endpoint] of Object.entries(ENDPOINTS)) {
      if (pathname === endpoint) counts[name as Endpoint] += 1;
    }
  });
  return {
    get: () => ({ ...counts }),
    reset: () => {
      counts = zero();
    },
  };
}

/** Waits until no widget shows its loading state. */
async function settled(page: Page, widgets = WIDGETS): Promise<void> {
  for (const id of widgets) {
    await expect(page.getByTestId(id)).toHaveAttribute('aria-busy', 'false');
  }
}

/** The KPI values as shown, by card. */
async function kpiValues(page: Page): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  for (const card of await page.locator('[data-testid^="kpi-value-"]').all()) {
    values[(await card.getAttribute('data-testid')) ?? ''] = (await card.textContent()) ?? '';
  }
  return values;
}

async function openDashboard(page: Page, url = '/'): Promise<void> {
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByTestId('kpi-value-revenue')).toHaveText(/\$\d/);
  await settled(page);
}

test('each widget refetches only for the state it depends on, and a link reproduces the view', async ({ page, context }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page);
  await openDashboard(page);
  await expect(page.getByTestId('data-as-of')).toContainText(/Data as of \d{1,2} \w{3} \d{4}/);
  const requests = countRequests(page);

  // A region filter: every filter-dependent widget fetches once, nothing else.
  await page.getByTestId('filter-regions').click();
  await option(page, 'filter-regions', DEMO_REGION).check();
  await expect(page).toHaveURL(new RegExp(`[?&]${regionParam(DEMO_REGION)}(&|$)`));
  await expect.poll(() => requests.get().orders).toBe(1);
  await settled(page);
  expect(requests.get()).toEqual({ kpis: 1, timeseries: 1, breakdown: 2, customers: 0, orders: 1, status: 0 });
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('filter-regions')).toHaveAttribute('aria-expanded', 'false');
  await expect(page.getByTestId('filter-regions')).toContainText(DEMO_REGION);

  // Granularity: only the time series.
  requests.reset();
  await page.getByTestId('granularity-week').click();
  await expect(page).toHaveURL(/granularity=week/);
  await expect(page.getByTestId('granularity-week')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => requests.get().timeseries).toBe(1);
  await settled(page);
  expect(requests.get()).toEqual({ kpis: 0, timeseries: 1, breakdown: 0, customers: 0, orders: 0, status: 0 });

  // Pressing the selected granularity again changes nothing and fetches nothing.
  requests.reset();
  await page.getByTestId('granularity-week').click();
  await settled(page);
  expect(requests.get()).toEqual({ kpis: 0, timeseries: 0, breakdown: 0, customers: 0, orders: 0, status: 0 });

  // The same URL in a new page shows the same controls and figures.
  const url = page.url();
  const values = await kpiValues(page);
  expect(Object.keys(values).length).toBe(7);
  const copy = await context.newPage();
  await openDashboard(copy, url);
  await expect(copy.getByTestId('granularity-week')).toHaveAttribute('aria-pressed', 'true');
  await expect(copy.getByTestId('range-30d')).toHaveAttribute('aria-pressed', 'true');
  await expect(copy.getByTestId('filter-regions')).toContainText(DEMO_REGION);
  await copy.getByTestId('filter-regions').click();
  await expect(option(copy, 'filter-regions', DEMO_REGION)).toBeChecked();
  await expect(copy.getByTestId('filter-regions-option').and(copy.locator(':checked'))).toHaveCount(1);
  expect(await kpiValues(copy)).toEqual(values);
  await copy.close();
  expect(errors).toEqual([]);
});

test('Advanced mode adds cost, profit and the cohort view; comparison adds dashed lines', async ({ page }) => {
  await signIn(page);
  await openDashboard(page);
  const requests = countRequests(page);

  await page.getByTestId('mode-advanced').click();
  await expect(page).toHaveURL(/mode=advanced/);
  await expect(page.getByTestId('customers-chart')).toBeVisible();
  await expect(page.getByTestId('kpi-cost')).toBeVisible();
  await expect.poll(() => requests.get().customers).toBe(1);
  await settled(page, [...WIDGETS, 'customers-chart']);
  // Cost and profit series; revenue and the filter-only widgets stay as they were.
  expect(requests.get()).toEqual({ kpis: 0, timeseries: 2, breakdown: 0, customers: 1, orders: 0, status: 0 });
  await expect(page.getByTestId('timeseries').locator('path.chart__line')).toHaveCount(3);

  // Legend toggles hide a series without a request.
  requests.reset();
  await page.getByTestId('legend-cost').click();
  await expect(page.getByTestId('legend-cost')).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('timeseries').locator('path.chart__line')).toHaveCount(2);
  expect(requests.get().timeseries).toBe(0);

  // Comparison: one request per visible metric, each with compare=true, and dashed lines.
  const compared: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === ENDPOINTS.timeseries) compared.push(r.url());
  });
  await page.getByTestId('filter-compare').click();
  await expect(page.getByTestId('filter-compare')).toHaveAttribute('aria-pressed', 'true');
  await expect.poll(() => compared.length).toBe(3);
  expect(compared.every((u) => u.includes('compare=true'))).toBe(true);
  await settled(page, ['timeseries']);
  await expect(page.getByTestId('timeseries').locator('path.chart__line--previous')).toHaveCount(2);

  // Hovering the chart shows the exact values of a bucket.
  const plot = page.getByTestId('timeseries').locator('.chart__plot');
  await plot.hover();
  await expect(page.getByTestId('chart-tooltip')).toContainText(/Revenue\s*\$[\d,]+\.\d\d/);
  await expect(page.getByTestId('chart-tooltip')).toContainText('prev.');
  // ...and the keyboard walks the buckets.
  await plot.focus();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('chart-tooltip')).toBeVisible();
});

test('orders sort, page with cursors and choose columns', async ({ page }) => {
  await signIn(page);
  await openDashboard(page);
  const table = page.getByTestId('orders-table');
  await expect(table.locator('tbody tr')).toHaveCount(25);

  await page.getByTestId('sort-total').click();
  await expect(page).toHaveURL(/sort=-total/);
  await expect(table.locator('th[aria-sort="descending"]')).toContainText('Total');
  const totals = async () =>
    (await table.locator('tbody td.numeric strong').allTextContents()).map((t) => Number(t.replace(/[$,]/g, '')));
  await expect.poll(async () => {
    const t = await totals();
    return t.length > 1 && t.every((v, i) => i === 0 || t[i - 1] >= v);
  }).toBe(true);
  const firstPage = await table.locator('tbody tr').first().textContent();

  await page.getByTestId('orders-next').click();
  await expect(page.getByTestId('orders-page')).toContainText('Page 2');
  await expect(table.locator('tbody tr').first()).not.toHaveText(firstPage!);
  await page.getByTestId('orders-previous').click();
  await expect(page.getByTestId('orders-page')).toContainText('Page 1');
  await expect(table.locator('tbody tr').first()).toHaveText(firstPage!);

  await page.getByTestId('orders-columns').click();
  await page.getByTestId('column-unit_price').check();
  await expect(page).toHaveURL(/fields=[a-z_,]*unit_price/);
  await expect(table.locator('thead th')).toContainText(['Unit price']);
  await page.getByTestId('column-product').uncheck();
  await expect(table.locator('thead th', { hasText: 'Product' })).toHaveCount(0);
  await expect(page.getByTestId('column-id')).toBeDisabled();
});

test('custom dates are debounced into one request per widget', async ({ page }) => {
  await signIn(page);
  await openDashboard(page);
  const requests = countRequests(page);
  await page.getByTestId('range-custom').click();
  await expect(page.getByTestId('filter-from')).toBeVisible();
  await expect(page).toHaveURL(/from=\d{4}-\d\d-\d\d&to=/);
  await settled(page);
  requests.reset();

  const to = await page.getByTestId('filter-to').inputValue();
  const from = new Date(Date.parse(to) - 13 * 86_400_000).toISOString().slice(0, 10);
  await page.getByTestId('filter-from').fill(from);
  await expect(page).toHaveURL(new RegExp(`from=${from}&to=${to}`));
  await expect.poll(() => requests.get().kpis).toBe(1);
  await settled(page);
  expect(requests.get().kpis).toBe(1);
  await expect(page.getByTestId('kpi-period')).toContainText(' – ');

  await page.getByTestId('range-7d').click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByTestId('filter-from')).toBeHidden();
});

test('only analysts and admins may refresh the data', async ({ page, context }) => {
  await signIn(page, 'viewer@tessera.local');
  await openDashboard(page);
  await expect(page.getByTestId('data-as-of')).toBeVisible();
  await expect(page.getByTestId('refresh-data')).toHaveCount(0);

  await context.clearCookies();
  await signIn(page, 'analyst@tessera.local');
  await openDashboard(page);
  const refreshed = page.waitForResponse((r) => r.url().endsWith('/api/v1/data/refresh'));
  await page.getByTestId('refresh-data').click();
  expect((await refreshed).status()).toBe(200);
  await expect(page.getByTestId('refresh-outcome')).toHaveText(/new orders? loaded|Already up to date/);
  await settled(page);
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [device, width, height] of [['desktop', 1440, 900], ['phone', 390, 844]] as const) {
    test(`the dashboard in ${colorScheme} theme on a ${device} (screenshot)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height });
      await signIn(page);
      await openDashboard(page, '/?mode=advanced&compare=1');
      await settled(page, [...WIDGETS, 'customers-chart']);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(ARTIFACTS, `dashboard-${colorScheme}-${device}.png`), fullPage: true });
    });
  }
}

import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import { ARTIFACTS, DEMO_REGION, failOnConsoleErrors, hydrated, option, regionParam, signIn } from './helpers';

// The test server runs jobs with a pause between their steps
// (TESSERA_JOB_STEP_PAUSE in playwright.config.ts), so progress can be watched.

async function openForecast(page: Page, url = '/forecast'): Promise<void> {
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByTestId('forecast-job')).toHaveAttribute('aria-busy', 'false');
}

/** Every progress value the bar of the job in the URL shows until its
 * status is `status`. */
async function watchProgress(page: Page, status: string): Promise<number[]> {
  await expect(page).toHaveURL(/\/forecast\?job=[0-9a-f-]+$/);
  const id = new URL(page.url()).searchParams.get('job');
  const seen: number[] = [];
  const card = page.locator(`[data-testid="forecast-status"][data-job="${id}"]`);
  await expect(card).toBeVisible();
  await expect
    .poll(
      async () => {
        const bar = card.getByTestId('job-progress');
        if ((await bar.count()) > 0) {
          const value = Number(await bar.getAttribute('aria-valuenow', { timeout: 500 }).catch(() => NaN));
          if (!Number.isNaN(value) && seen[seen.length - 1] !== value) seen.push(value);
        }
        return card.getAttribute('data-status');
      },
      { intervals: [50], timeout: 30_000 },
    )
    .toBe(status);
  return seen;
}

test('an analyst runs a forecast, watches it progress and reads the chart, the backtest and the model', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = failOnConsoleErrors(page);
  await signIn(page, 'analyst@tessera.local');
  await openForecast(page);

  // Inline checks: an impossible horizon disables the submit and says why.
  const horizon = page.getByTestId('forecast-horizon');
  await horizon.fill('5');
  await expect(page.getByTestId('forecast-error-horizon_days')).toHaveText('Horizon must be from 7 to 90 days.');
  await expect(page.getByTestId('forecast-submit')).toBeDisabled();
  await horizon.fill('21');
  await expect(page.getByTestId('forecast-error-horizon_days')).toBeHidden();

  // Nothing is sent until the form is submitted, then once.
  const submits: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/jobs/forecast') submits.push(r.postData() ?? '');
  });
  await page.getByTestId('forecast-confidence-80').click();
  await page.getByTestId('forecast-submit').click();
  await expect(page).toHaveURL(/\/forecast\?job=[0-9a-f-]+$/);
  expect(submits).toHaveLength(1);
  expect(JSON.parse(submits[0])).toMatchObject({ target_metric: 'revenue', horizon_days: 21, confidence: 80 });

  // The bar advances (event stream) until the job is done.
  const seen = await watchProgress(page, 'succeeded');
  expect(seen.length).toBeGreaterThan(1);
  expect([...seen].sort((a, b) => a - b)).toEqual(seen);

  // The chart: history, the forecast with its shaded band, the backtest.
  const chart = page.getByTestId('forecast-chart');
  await expect(chart.locator('path.chart__band.series--forecast')).toHaveCount(1);
  await expect(chart.locator('path.chart__line.series--actual')).toHaveCount(1);
  await expect(chart.locator('path.chart__line--dashed.series--backtest')).toHaveCount(1);
  await expect(page.getByTestId('forecast-accuracy-value')).toHaveText(/^\d+\.\d%$/);
  await expect(page.getByTestId('forecast-model-name')).toHaveText(/^ETS\(/);

  // Hovering the last day shows the forecast and its interval.
  await chart.locator('.chart__plot').focus();
  await page.keyboard.press('End');
  await expect(page.getByTestId('chart-tooltip')).toContainText(/Forecast\s*\$[\d,]+\.\d\d/);
  await expect(page.getByTestId('chart-tooltip')).toContainText(/80% interval \$[\d,.]+ – \$[\d,.]+/);

  // A reload returns to the same job, rendered by the server.
  const url = page.url();
  await openForecast(page, url);
  await expect(page.getByTestId('forecast-chart')).toBeVisible();

  // The same forecast on the same data is not run again.
  await page.getByTestId('forecast-horizon').fill('21');
  await page.getByTestId('forecast-confidence-80').click();
  await page.getByTestId('forecast-submit').click();
  await expect(page.getByTestId('forecast-reused')).toBeVisible();
  expect(page.url()).toBe(url);
  expect(errors).toEqual([]);
});

test("the dashboard's Model accuracy card shows the latest revenue forecast for its regions and categories", async ({ page }) => {
  // Runs after the forecast above (all regions and categories, revenue).
  await signIn(page, 'analyst@tessera.local');
  const asked: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/analytics/model-accuracy') asked.push(r.url());
  });
  await page.goto('/');
  await hydrated(page);
  await expect(page.getByTestId('kpi-cards')).toHaveAttribute('aria-busy', 'false');
  await expect(page.getByTestId('model-accuracy-value')).toHaveText(/^\d+\.\d%$/);
  await expect(page.getByTestId('model-accuracy-link')).toHaveAttribute('href', /^\/forecast\?job=[0-9a-f-]+$/);

  // Its own resource: a new period does not ask again, a region does.
  asked.length = 0;
  const period = (await page.getByTestId('kpi-period').textContent()) ?? '';
  await page.getByTestId('range-7d').click();
  await expect(page).toHaveURL(/range=7d/);
  await expect(page.getByTestId('kpi-period')).not.toHaveText(period);
  await expect(page.getByTestId('kpi-cards')).toHaveAttribute('aria-busy', 'false');
  expect(asked).toHaveLength(0);
  await page.getByTestId('filter-regions').click();
  await option(page, 'filter-regions', DEMO_REGION).check();
  await expect(page.getByTestId('model-accuracy-value')).toHaveText('No forecast yet');
  expect(asked).toHaveLength(1);
  expect(new URL(asked[0]).searchParams.getAll('region')).toEqual([DEMO_REGION]);

  // "Run one" opens the form for those regions.
  await page.keyboard.press('Escape');
  await page.getByTestId('model-accuracy-run').click();
  await expect(page).toHaveURL(`/forecast?${regionParam(DEMO_REGION)}`);
  await expect(page.getByTestId('forecast-regions')).toContainText(DEMO_REGION);
});

test('without EventSource the page polls the job once a second until it is done', async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as unknown as { EventSource?: unknown }).EventSource;
  });
  await signIn(page, 'analyst@tessera.local');
  await openForecast(page);
  const polls: string[] = [];
  page.on('request', (r) => {
    if (/\/api\/v1\/jobs\/[0-9a-f-]+$/.test(new URL(r.url()).pathname)) polls.push(r.url());
    expect(new URL(r.url()).pathname).not.toMatch(/\/events$/);
  });
  await page.getByTestId('forecast-horizon').fill('15');
  await page.getByTestId('forecast-confidence-95').click();
  await page.getByTestId('forecast-submit').click();
  const seen = await watchProgress(page, 'succeeded');
  expect(seen.length).toBeGreaterThan(1);
  expect(polls.length).toBeGreaterThan(1);
  await expect(page.getByTestId('forecast-chart').locator('path.chart__band.series--forecast')).toHaveCount(1);
});

test("the server's field errors are shown next to their fields", async ({ page }) => {
  await signIn(page, 'analyst@tessera.local');
  await openForecast(page);
  await page.route('**/api/v1/jobs/forecast', (route) =>
    route.fulfill({
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        error: {
          code: 'validation_failed',
          message: 'some fields are invalid',
          fields: { target_metric: 'target metric is required before running the forecast' },
        },
      }),
    }),
  );
  await page.getByTestId('forecast-submit').click();
  await expect(page.getByTestId('forecast-error-target_metric')).toHaveText(
    'Target metric is required before running the forecast.',
  );
  await expect(page.getByTestId('forecast-metric')).toHaveAttribute('aria-invalid', 'true');
  // Editing the field clears the server's word on it.
  await page.getByTestId('forecast-metric').selectOption('orders');
  await expect(page.getByTestId('forecast-error-target_metric')).toBeHidden();
});

test('a viewer sees forecasts but not the form', async ({ page }) => {
  await signIn(page, 'viewer@tessera.local');
  await openForecast(page);
  await expect(page.getByTestId('forecast-viewer-note')).toBeVisible();
  await expect(page.getByTestId('forecast-form')).toHaveCount(0);
});

test('an export runs from the orders card and its file downloads; the Jobs page lists it', async ({ page }) => {
  test.setTimeout(60_000);
  const errors = failOnConsoleErrors(page);
  await signIn(page, 'analyst@tessera.local');
  await page.goto('/?range=7d');
  await hydrated(page);
  await expect(page.getByTestId('orders-table')).toHaveAttribute('aria-busy', 'false');

  await page.getByTestId('orders-export').click();
  const from = await page.getByTestId('export-from').inputValue();
  const to = await page.getByTestId('export-to').inputValue();
  expect(from).toMatch(/^\d{4}-\d\d-\d\d$/);
  await page.getByTestId('export-submit').click();
  const link = page.getByTestId('export-download');
  await expect(link).toBeVisible({ timeout: 30_000 });

  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toBe(`tessera-orders-${from}-to-${to}.csv`);
  const file = path.join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(file);
  const [header, first] = fs.readFileSync(file, 'utf8').split('\n');
  expect(header).toBe('id,ordered_at,customer_id,region,category,product,quantity,total,status');
  expect(first).toMatch(/^\d+,\d{4}-\d\d-\d\d/);

  // The Jobs page: the export, finished, with its download and "Run again".
  await page.goto('/jobs');
  await hydrated(page);
  const row = page.locator('[data-testid="job-row"][data-kind="export"]').first();
  await expect(row).toHaveAttribute('data-status', 'succeeded');
  await expect(row.getByTestId('job-download')).toHaveAttribute('href', /\/api\/v1\/jobs\/[0-9a-f-]+\/download$/);

  // Running it again starts a new job (finished exports are not reused), which finishes.
  await row.getByTestId('job-rerun').click();
  await expect(page.getByTestId('jobs-notice')).toContainText('Started again');
  await expect(page.locator('[data-testid="job-row"][data-kind="export"]')).toHaveCount(2);
  await expect(page.locator('[data-testid="job-row"]').first()).toHaveAttribute('data-status', 'succeeded', { timeout: 30_000 });
  expect(errors).toEqual([]);
});

test('a gzip export downloads as csv.gz', async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page, 'analyst@tessera.local');
  await page.goto(`/?range=7d&${regionParam(DEMO_REGION)}`);
  await hydrated(page);
  await page.getByTestId('orders-export').click();
  await page.getByTestId('export-format-csv-gz').click();
  await page.getByTestId('export-submit').click();
  const link = page.getByTestId('export-download');
  await expect(link).toBeVisible({ timeout: 30_000 });
  const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
  expect(download.suggestedFilename()).toMatch(/\.csv\.gz$/);
  const file = path.join(ARTIFACTS, download.suggestedFilename());
  await download.saveAs(file);
  const text = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8');
  expect(text.split('\n')[0]).toBe('id,ordered_at,customer_id,region,category,product,quantity,total,status');
  expect(text.split('\n')[1]).toContain(`,${DEMO_REGION},`);
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [device, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
    test(`forecast and jobs in ${colorScheme} theme on a ${device} (screenshot)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height });
      await signIn(page, 'analyst@tessera.local');
      await openForecast(page);
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(ARTIFACTS, `forecast-${colorScheme}-${device}.png`), fullPage: true });
      await page.goto('/jobs');
      await hydrated(page);
      await expect(page.getByTestId('jobs')).toHaveAttribute('aria-busy', 'false');
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(ARTIFACTS, `jobs-${colorScheme}-${device}.png`), fullPage: true });
    });
  }
}

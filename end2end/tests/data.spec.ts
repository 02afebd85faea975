import { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import * as path from 'node:path';
import { ARTIFACTS, failOnConsoleErrors, hydrated, option, signIn } from './helpers';

// Issue 19, "bring your own data": an analyst uploads CSV files of orders
// on /data; the regions and categories they hold become the dashboard's
// filter choices. The tests run in order on one fresh server
// (playwright.config.ts), so the ids below are free when the first runs.

const HEADER = 'id,ordered_at,customer_id,region,category,product,quantity,unit_price,unit_cost,discount,status';
/** Regions the demo data does not hold: a comma, quotes, accents. */
const ZURICH = 'Zürich "Nord"';
const ILE = 'Île-de-France';
const CATEGORY = 'Garden, Outdoor';
const FIRST_ID = 900_000_001;
const ROWS = 50;

/** `value` as one CSV field (RFC 4180 quoting). */
function field(value: string | number): string {
  const text = String(value);
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The last day of the demo data (`YYYY-MM-DD`), from the data status. */
async function lastDay(page: Page): Promise<string> {
  const response = await page.request.get('/api/v1/data/status');
  expect(response.status()).toBe(200);
  const status = await response.json();
  expect(status.data_as_of, 'the demo data has orders').toBeTruthy();
  return String(status.data_as_of).slice(0, 10);
}

/** `days` before `day` (`YYYY-MM-DD`), at `hour`:15 UTC, RFC 3339. */
function daysBefore(day: string, days: number, hour: number): string {
  const at = new Date(`${day}T00:00:00Z`);
  at.setUTCDate(at.getUTCDate() - days);
  at.setUTCHours(hour, 15, 0, 0);
  return at.toISOString().replace('.000Z', 'Z');
}

/** A good file: ROWS completed orders in the 28 days up to `day`, half in
 * each new region. */
function goodCsv(day: string): string {
  const lines = [HEADER];
  for (let i = 0; i < ROWS; i++) {
    lines.push(
      [
        FIRST_ID + i,
        daysBefore(day, i % 28, 9 + (i % 8)),
        70_000 + (i % 17),
        i % 2 === 0 ? ZURICH : ILE,
        CATEGORY,
        `Import test product ${i % 5}`,
        1 + (i % 4),
        '19.90',
        '8.50',
        i % 10 === 0 ? '2.00' : '0',
        'completed',
      ]
        .map(field)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/** A bad file: line 2 is fine, line 3 has quantity -3, line 4 a bad date. */
function badCsv(day: string): string {
  const row = (id: number, orderedAt: string, quantity: number) =>
    [id, orderedAt, 70_001, ZURICH, CATEGORY, 'Broken', quantity, '10.00', '4.00', '0', 'completed'].map(field).join(',');
  return [HEADER, row(900_000_101, daysBefore(day, 1, 10), 2), row(900_000_102, daysBefore(day, 2, 10), -3), row(900_000_103, '2026-13-45T10:00:00Z', 1)].join('\n') + '\n';
}

async function openData(page: Page): Promise<void> {
  await page.goto('/data');
  await hydrated(page);
  await expect(page.getByTestId('imports')).toHaveAttribute('aria-busy', 'false');
}

/** Picks `name` with `text` in the upload card (as the file input would)
 * and presses Upload. */
async function upload(page: Page, name: string, text: string): Promise<void> {
  await page.getByTestId('upload-input').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(text, 'utf8') });
  await expect(page.getByTestId('upload-file')).toContainText(name);
  await page.getByTestId('upload-submit').click();
}

test('an analyst uploads a CSV of orders, inserts it, is refused a second insert and upserts it', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page, 'analyst@tessera.local');
  const day = await lastDay(page);
  const csv = goodCsv(day);
  await openData(page);
  await expect(page.getByTestId('import-mode-insert')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('upload-submit')).toBeDisabled();

  const posted: string[] = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/data/imports' && r.method() === 'POST') posted.push(r.url());
  });
  await upload(page, 'new-regions.csv', csv);
  const success = page.getByTestId('upload-success');
  await expect(success).toBeVisible();
  await expect(page.getByTestId('upload-rows')).toHaveText(String(ROWS));
  await expect(page.getByTestId('upload-inserted')).toHaveText(String(ROWS));
  await expect(page.getByTestId('upload-updated')).toHaveText('0');
  await expect(page.getByTestId('upload-version')).toHaveText(/^\d+$/);
  expect(posted).toHaveLength(1);
  expect(new URL(posted[0]).searchParams.get('mode')).toBe('insert');

  // The list shows it at the top, and the catalog holds the new values.
  const first = page.getByTestId('import-row').first();
  await expect(first).toHaveAttribute('data-status', 'succeeded');
  await expect(first).toContainText('new-regions.csv');
  await expect(first).toContainText('analyst@tessera.local');
  const zurich = page.getByTestId('catalog-regions').locator(`[data-value="${ZURICH.replace(/"/g, '\\"')}"]`);
  await expect(zurich).toContainText(ZURICH);
  await expect(zurich).toContainText(String(ROWS / 2));
  await expect(page.getByTestId('catalog-categories')).toContainText(CATEGORY);

  // The same ids again in insert mode: refused, with a word about upsert.
  await upload(page, 'new-regions.csv', csv);
  await expect(page.getByTestId('upload-error')).toContainText(/upsert/i);
  await expect(success).toBeHidden();

  // Upsert replaces them.
  await page.getByTestId('import-mode-upsert').click();
  await expect(page.getByTestId('import-mode-hint')).toContainText('replaces');
  await upload(page, 'new-regions.csv', csv);
  await expect(success).toBeVisible();
  await expect(page.getByTestId('upload-updated')).toHaveText(String(ROWS));
  await expect(page.getByTestId('upload-inserted')).toHaveText('0');
  expect(new URL(posted[posted.length - 1]).searchParams.get('mode')).toBe('upsert');
  // The browser logs the refused insert's 409 itself; nothing else may err.
  expect(errors.filter((e) => !/status of 409/.test(e))).toEqual([]);
});

test('a file with bad rows is refused with a report by line, and nothing is loaded', async ({ page }) => {
  await signIn(page, 'analyst@tessera.local');
  const day = await lastDay(page);
  const before = await (await page.request.get('/api/v1/data/status')).json();
  await openData(page);
  await upload(page, 'bad-rows.csv', badCsv(day));

  const report = page.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(report.locator('th')).toHaveText(['Line', 'Column', 'Value', 'Problem']);
  const quantity = report.locator('[data-testid="import-problem"][data-line="3"]');
  await expect(quantity).toContainText('quantity');
  await expect(quantity).toContainText('-3');
  const date = report.locator('[data-testid="import-problem"][data-line="4"]');
  await expect(date).toContainText('ordered_at');
  await expect(date).toContainText('2026-13-45');
  // Line 2 is fine: it is not reported, and not loaded either.
  await expect(report.locator('[data-testid="import-problem"][data-line="2"]')).toHaveCount(0);
  await expect(page.getByTestId('upload-success')).toBeHidden();

  await expect(page.getByTestId('import-row').first()).toHaveAttribute('data-status', 'rejected');
  const after = await (await page.request.get('/api/v1/data/status')).json();
  expect(after.orders).toBe(before.orders);
  expect(after.dataset_version).toBe(before.dataset_version);
});

test("the dashboard's Regions filter lists the imported regions, and the URL keeps them", async ({ page, context }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page, 'analyst@tessera.local');
  await page.goto('/');
  await hydrated(page);
  await page.getByTestId('filter-regions').click();
  const zurich = option(page, 'filter-regions', ZURICH);
  await expect(zurich).toBeVisible();
  await expect(option(page, 'filter-regions', ILE)).toBeVisible();
  await zurich.check();

  // One escaped region= pair; the API is asked for the value as it is.
  await expect(page).toHaveURL(/[?&]region=Z%C3%BCrich%20%22Nord%22(&|$)/);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('filter-regions')).toContainText(ZURICH);
  await expect(page.getByTestId('kpi-value-orders')).toHaveText(String(ROWS / 2));
  const table = page.getByTestId('orders-table');
  await expect(table).toContainText(ZURICH);
  await expect(table).not.toContainText(ILE);

  // The link reproduces the selection.
  const copy = await context.newPage();
  await copy.goto(page.url());
  await hydrated(copy);
  await expect(copy.getByTestId('filter-regions')).toContainText(ZURICH);
  await copy.getByTestId('filter-regions').click();
  await expect(option(copy, 'filter-regions', ZURICH)).toBeChecked();
  await expect(option(copy, 'filter-regions', ILE)).not.toBeChecked();
  await copy.close();
  expect(errors).toEqual([]);
});

test('a viewer gets the 403 page at /data and no Data link', async ({ page }) => {
  await signIn(page, 'viewer@tessera.local');
  const response = await page.goto('/data');
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId('forbidden')).toBeVisible();
  await expect(page.getByTestId('forbidden')).toContainText('analyst');
  await hydrated(page);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Data', exact: true })).toHaveCount(0);
  const upload = await page.request.post('/api/v1/data/imports?mode=insert', {
    multipart: { file: { name: 'x.csv', mimeType: 'text/csv', buffer: Buffer.from(`${HEADER}\n`) } },
  });
  expect(upload.status()).toBe(403);
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [device, width, height] of [['desktop', 1280, 900], ['phone', 390, 844]] as const) {
    test(`the Data page in ${colorScheme} theme on a ${device} (screenshot)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height });
      await signIn(page, 'analyst@tessera.local');
      const day = await lastDay(page);
      await openData(page);
      await expect(page.getByTestId('catalog')).toHaveAttribute('aria-busy', 'false');
      await expect(page.getByTestId('source-card')).toHaveAttribute('aria-busy', 'false');
      // A refused file shows the report, the page's busiest state.
      await upload(page, 'bad-rows.csv', badCsv(day));
      await expect(page.getByTestId('import-report')).toBeVisible();
      await expect(page.getByTestId('import-row').first()).toHaveAttribute('data-status', 'rejected');
      const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(ARTIFACTS, `data-${colorScheme}-${device}.png`), fullPage: true });
    });
  }
}

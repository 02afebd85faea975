import { Browser, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ARTIFACTS, DEMO_PASSWORD, failOnConsoleErrors, hydrated, signIn } from './helpers';

/** Signs a viewer in in its own browser context (its own session) and has it
 * read the KPIs for Europe; returns the context so it can act again. */
async function viewerSession(browser: Browser) {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const login = await context.request.post('/api/v1/auth/login', {
    data: { email: 'viewer@tessera.local', password: DEMO_PASSWORD },
  });
  expect(login.status()).toBe(200);
  const kpis = await context.request.get('/api/v1/analytics/kpis?range=90d&region=Europe');
  expect(kpis.status()).toBe(200);
  return context;
}

async function openAudit(page: Page, url = '/admin/audit'): Promise<void> {
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByTestId('audit-log')).toHaveAttribute('aria-busy', 'false');
}

/** The principal shown in every visible row. */
async function principals(page: Page): Promise<string[]> {
  return page.locator('[data-testid="audit-row"] .audit-who__name, [data-testid="audit-row"] .audit-who .muted').allTextContents();
}

test('an admin filters the log to one session, opens an event and reproduces the view from its link', async ({ page, browser, context }) => {
  const errors = failOnConsoleErrors(page);
  const viewer = await viewerSession(browser);
  await signIn(page);
  await openAudit(page);
  await expect(page.getByTestId('tab-audit')).toHaveAttribute('aria-current', 'page');
  await expect(page.locator('[data-testid="audit-row"]').first()).toBeVisible();

  // Narrow to the viewer (typed, debounced), then to the KPI reads.
  await page.getByTestId('audit-principal').fill('viewer@tessera.local');
  await expect(page).toHaveURL(/[?&]principal=viewer@tessera\.local(&|$)/);
  await page.getByTestId('audit-action').selectOption('analytics.kpis');
  await expect(page).toHaveURL(/action=analytics\.kpis/);
  const row = page.locator('[data-testid="audit-row"][data-action="analytics.kpis"]').first();
  await expect(row).toContainText('Viewed KPIs');
  await expect(row).toContainText('regions Europe');

  // Its details: every field, and the context as formatted JSON.
  await row.click();
  const details = page.getByTestId('audit-details');
  await expect(details).toBeVisible();
  await expect(details).toContainText('viewer@tessera.local');
  await expect(page.getByTestId('audit-context')).toContainText('"regions": [');
  await expect(page.getByTestId('audit-context')).toContainText('"Europe"');

  // "Show this session": only that session's events, every other filter off.
  await page.getByTestId('audit-show-session').click();
  await expect(page).toHaveURL(/[?&]session=[0-9a-f]{64}$/);
  await expect(details).toBeHidden();
  await expect(page.getByTestId('audit-session-chip')).toBeVisible();
  await expect(page.getByTestId('audit-principal')).toHaveValue('');
  await expect(page.getByTestId('audit-log')).toHaveAttribute('aria-busy', 'false');
  const shown = await principals(page);
  expect(shown.length).toBeGreaterThanOrEqual(2); // the sign-in and the KPI read
  expect(new Set(shown)).toEqual(new Set(['viewer@tessera.local']));
  await expect(page.locator('[data-testid="audit-row"][data-action="auth.login"]')).toHaveCount(1);

  // Open the sign-in row's details and keep a picture of it.
  await page.locator('[data-testid="audit-row"][data-action="auth.login"]').click();
  await expect(details).toContainText('Sign-in');
  await expect(details).toContainText(/Session\s*[0-9a-f]{64}/);
  await expect(page.getByTestId('audit-context')).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'audit-session-details.png'), animations: 'disabled' });
  await page.keyboard.press('Escape');
  await expect(details).toBeHidden();

  // The link reproduces the view.
  const copy = await context.newPage();
  await openAudit(copy, page.url());
  await expect(copy.getByTestId('audit-session-chip')).toBeVisible();
  expect(await principals(copy)).toEqual(shown);
  await copy.close();

  // A new event of this session shows up without reloading the page.
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const more = await viewer.request.get('/api/v1/analytics/breakdown?dimension=category&range=30d');
  expect(more.status()).toBe(200);
  const announce = page.getByTestId('audit-new-events');
  await expect(announce).toHaveText(/Show 1 new event/, { timeout: 20_000 });
  await announce.click();
  await expect(page.locator('[data-testid="audit-row"]').first()).toHaveAttribute('data-action', 'analytics.breakdown');
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);

  // Export: the filtered rows as CSV.
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('audit-export').click()]);
  const csv = fs.readFileSync(await download.path(), 'utf8').trim().split('\n');
  expect(csv[0]).toMatch(/^id,occurred_at,session,principal/);
  expect(csv.length - 1).toBe(shown.length + 1);
  expect(csv.slice(1).every((line) => line.includes('viewer@tessera.local'))).toBe(true);

  await viewer.close();
  expect(errors).toEqual([]);
});

test('outcome and date filters narrow the log; an impossible range says so', async ({ page }) => {
  await page.request.post('/api/v1/auth/login', { data: { email: 'admin@tessera.local', password: 'not-the-password' } });
  await signIn(page);
  await openAudit(page, '/admin/audit?outcome=denied');
  await expect(page.getByTestId('audit-outcome-denied')).toHaveAttribute('aria-pressed', 'true');
  const outcomes = await page.getByTestId('audit-outcome').allTextContents();
  expect(outcomes.length).toBeGreaterThan(0);
  expect(outcomes.every((text) => text.startsWith('Denied'))).toBe(true);

  await page.getByTestId('audit-from').fill('2999-01-01');
  await page.getByTestId('audit-from').dispatchEvent('change');
  await expect(page).toHaveURL(/from=2999-01-01/);
  await expect(page.getByTestId('audit-empty')).toBeVisible();
  await page.getByTestId('audit-empty').getByRole('button', { name: 'Clear filters' }).click();
  await expect(page).toHaveURL(/\/admin\/audit$/);
  await expect(page.locator('[data-testid="audit-row"]').first()).toBeVisible();
});

test('the audit page is for admins only', async ({ page }) => {
  await signIn(page, 'analyst@tessera.local');
  const response = await page.goto('/admin/audit');
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId('forbidden')).toBeVisible();
});

for (const colorScheme of ['light', 'dark'] as const) {
  for (const [device, width, height] of [['desktop', 1440, 900], ['phone', 390, 844]] as const) {
    test(`the audit log in ${colorScheme} theme on a ${device} (screenshot)`, async ({ page }) => {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize({ width, height });
      await signIn(page);
      await page.request.get('/api/v1/analytics/kpis?range=30d&regions=Europe,North%20America&categories=Electronics');
      await openAudit(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await page.screenshot({ path: path.join(ARTIFACTS, `audit-${colorScheme}-${device}.png`), fullPage: true, animations: 'disabled' });
      await page.locator('[data-testid="audit-row"]').first().click();
      await expect(page.getByTestId('audit-details')).toBeVisible();
      await page.screenshot({ path: path.join(ARTIFACTS, `audit-details-${colorScheme}-${device}.png`), animations: 'disabled' });
    });
  }
}

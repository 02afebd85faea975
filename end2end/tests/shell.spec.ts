import { expect, test } from './fixtures';
import * as path from 'node:path';
import { ARTIFACTS, failOnConsoleErrors, hydrated, signIn } from './helpers';

test('the home page is rendered by the server', async ({ browser }) => {
  // No JavaScript at all: everything visible came from the server.
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await signIn(page);
  const response = await page.goto('/');
  expect(response?.status()).toBe(200);
  await expect(page).toHaveTitle('Dashboard · Tessera');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');
  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const label of ['Dashboard', 'Forecast', 'Jobs', 'Data', 'Admin']) {
    await expect(nav.getByRole('link', { name: label })).toBeVisible();
  }
  await expect(page.getByRole('heading', { name: 'System status' })).toBeVisible();
  await expect(page.locator('footer')).toContainText(/Tessera v\d+\.\d+\.\d+/);
  await context.close();
});

test('the page hydrates and client-side interactions work', async ({ page }) => {
  const errors = failOnConsoleErrors(page);
  await signIn(page);
  await page.goto('/');
  await hydrated(page);

  // Theme toggle: system -> light -> dark -> system, kept across reloads.
  const toggle = page.getByRole('button', { name: /^Theme:/ });
  await expect(toggle).toHaveAttribute('aria-label', 'Theme: system');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await toggle.click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await hydrated(page);
  await page.getByRole('button', { name: 'Theme: dark' }).click();
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);

  // The status card refetches through the typed client running in WASM.
  const ready = page.waitForResponse((r) => r.url().endsWith('/api/v1/ready'));
  await page.getByTestId('status-recheck').click();
  expect((await ready).status()).toBe(200);
  await expect(page.getByTestId('status-summary')).toHaveText('All systems operational');
  await expect(page.getByTestId('status-database')).toHaveText('sqlite');
  expect(errors).toEqual([]);
});

test('navigation happens in the client, without a full reload', async ({ page }) => {
  await signIn(page);
  await page.goto('/');
  await hydrated(page);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));
  const documentLoads: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'document') documentLoads.push(r.url());
  });

  const nav = page.getByRole('navigation', { name: 'Main' });
  for (const [label, url] of [['Forecast', '/forecast'], ['Jobs', '/jobs'], ['Data', '/data'], ['Admin', '/admin'], ['Dashboard', '/']]) {
    await nav.getByRole('link', { name: label }).click();
    await expect(page).toHaveURL(url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(label);
    await expect(page).toHaveTitle(`${label} · Tessera`);
    await expect(nav.getByRole('link', { name: label })).toHaveAttribute('aria-current', 'page');
  }
  expect(await page.evaluate(() => (window as unknown as { marker: number }).marker)).toBe(42);
  expect(documentLoads).toEqual([]);

  await page.goBack();
  await expect(page).toHaveURL('/admin');
});

test('an unknown path shows the 404 page with status 404', async ({ page }) => {
  await signIn(page);
  const response = await page.goto('/reports/2019/q5');
  expect(response?.status()).toBe(404);
  await expect(page.getByTestId('not-found')).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
  await expect(page.locator('code')).toHaveText('/reports/2019/q5');
  await hydrated(page);
  await page.screenshot({ path: path.join(ARTIFACTS, 'not-found.png') });
  await page.getByRole('link', { name: 'Back to the dashboard' }).click();
  await expect(page).toHaveURL('/');
});

for (const colorScheme of ['light', 'dark'] as const) {
  test(`the shell in ${colorScheme} theme (screenshot)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await page.setViewportSize({ width: 1280, height: 800 });
    await signIn(page);
    await page.goto('/');
    await hydrated(page);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    // Light backgrounds are near-white, dark ones near-black.
    const [r, g, b] = background.match(/\d+/g)!.map(Number);
    const luminance = (r + g + b) / 3;
    if (colorScheme === 'light') expect(luminance).toBeGreaterThan(200);
    else expect(luminance).toBeLessThan(60);
    await page.screenshot({ path: path.join(ARTIFACTS, `shell-${colorScheme}.png`), fullPage: true });
  });
}

test('on a 375 px phone the layout fits and the menu folds', async ({ page }) => {
  await page.setViewportSize({ width: 375, height: 740 });
  await signIn(page);
  await page.goto('/');
  await hydrated(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  await page.getByRole('button', { name: 'Open menu' }).click();
  await expect(nav).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'shell-phone-menu.png') });
  await nav.getByRole('link', { name: 'Jobs' }).click();
  await expect(page).toHaveURL('/jobs');
  await expect(nav).toBeHidden();
  await page.screenshot({ path: path.join(ARTIFACTS, 'shell-phone.png'), fullPage: true });
});

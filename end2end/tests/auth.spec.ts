import { expect, test } from './fixtures';
import * as path from 'node:path';
import { ARTIFACTS, DEMO_PASSWORD, failOnConsoleErrors, hydrated } from './helpers';

const NAV = ['Dashboard', 'Forecast', 'Jobs', 'Data', 'Admin'];
const ROLES = [
  { email: 'viewer@tessera.local', role: 'viewer', nav: ['Dashboard', 'Forecast'] },
  { email: 'analyst@tessera.local', role: 'analyst', nav: ['Dashboard', 'Forecast', 'Jobs', 'Data'] },
  { email: 'admin@tessera.local', role: 'admin', nav: NAV },
];

async function signInWithForm(page: import('@playwright/test').Page, email: string, password = DEMO_PASSWORD) {
  await hydrated(page);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

for (const { email, role, nav } of ROLES) {
  test(`${role}: signs in, sees the right navigation, signs out`, async ({ page }) => {
    const errors = failOnConsoleErrors(page);
    await page.goto('/');
    await expect(page).toHaveURL(/\/login\?next=\/$/);
    await signInWithForm(page, email);
    await expect(page).toHaveURL('/');
    await hydrated(page);
    await expect(page.getByTestId('user-role')).toHaveText(role);
    const links = page.getByRole('navigation', { name: 'Main' }).getByRole('link');
    await expect(links).toHaveText(nav);

    const admin = await page.goto('/admin');
    if (role === 'admin') {
      expect(admin?.status()).toBe(200);
      await expect(page.getByRole('heading', { level: 1 })).toHaveText('Admin');
    } else {
      expect(admin?.status()).toBe(403);
      await expect(page.getByTestId('forbidden')).toBeVisible();
      if (role === 'viewer') await page.screenshot({ path: path.join(ARTIFACTS, 'forbidden.png') });
    }

    await hydrated(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await expect(page).toHaveURL('/login');
    const again = await page.goto('/forecast');
    expect(again?.status()).toBe(200); // the login page, after the redirect
    await expect(page).toHaveURL(/\/login\?next=\/forecast$/);
    expect(errors.filter((e) => !/\b40[13]\b/.test(e))).toEqual([]);
  });
}

test('wrong credentials are refused inline without saying which part was wrong', async ({ page }) => {
  await page.goto('/login');
  await signInWithForm(page, 'admin@tessera.local', 'not-the-password');
  await expect(page.getByTestId('login-error')).toHaveText("That email and password don't match an account.");
  await signInWithForm(page, 'nobody@tessera.local', 'not-the-password');
  await expect(page.getByTestId('login-error')).toHaveText("That email and password don't match an account.");
  await expect(page).toHaveURL('/login');
});

test('after signing in, the page asked for comes back; foreign targets do not', async ({ page }) => {
  await page.goto('/forecast');
  await expect(page).toHaveURL(/next=\/forecast/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'login.png') });
  await signInWithForm(page, 'analyst@tessera.local');
  await expect(page).toHaveURL('/forecast');

  await page.context().clearCookies();
  await page.goto('/login?next=https://evil.example/');
  await signInWithForm(page, 'analyst@tessera.local');
  await expect(page).toHaveURL('/');
});

test('the login page in dark theme (screenshot)', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/login?expired=1');
  await hydrated(page);
  await expect(page.getByTestId('session-expired')).toBeVisible();
  await page.screenshot({ path: path.join(ARTIFACTS, 'login-dark.png') });
});

test('an admin manages users and service accounts (screenshots)', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/admin');
  await signInWithForm(page, 'admin@tessera.local');
  await expect(page).toHaveURL('/admin');
  await hydrated(page);
  const users = page.getByTestId('users-table');
  await expect(users.locator('tbody tr')).toHaveCount(3);

  const addUser = page.locator('form', { has: page.getByRole('heading', { name: 'Add a user' }) });
  await addUser.getByLabel('Email').fill('grace@example.com');
  await addUser.getByLabel('Name').fill('Grace Hopper');
  await addUser.getByLabel('Role').selectOption('analyst');
  await addUser.getByLabel('Initial password').fill('a fine long password');
  await addUser.getByRole('button', { name: 'Add user' }).click();
  await expect(users.locator('tbody tr')).toHaveCount(4);
  const grace = users.locator('tr', { hasText: 'grace@example.com' });
  await grace.getByRole('button', { name: 'Disable' }).click();
  await expect(grace.getByText('Disabled')).toBeVisible();

  // The last admin cannot demote themselves.
  const me = users.locator('tr', { hasText: 'admin@tessera.local' });
  await me.getByRole('combobox').selectOption('viewer');
  await expect(page.getByRole('alert')).toContainText('last active admin');
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-users.png'), fullPage: true });

  const newService = page.locator('form', { has: page.getByRole('heading', { name: 'New service account' }) });
  await newService.getByLabel('Name').fill('billing');
  await newService.getByRole('button', { name: 'Create' }).click();
  await expect(page.getByTestId('new-secret')).toBeVisible();
  const secret = await page.getByTestId('secret-value').textContent();
  expect(secret?.length).toBeGreaterThanOrEqual(40);
  await page.screenshot({ path: path.join(ARTIFACTS, 'admin-service-secret.png'), fullPage: true });
  await page.getByRole('button', { name: 'Done' }).click();
  await expect(page.getByTestId('new-secret')).toBeHidden();
  await page.getByTestId('services-table').getByRole('button', { name: 'Revoke' }).click();
  await expect(page.getByTestId('services-table').getByText('Revoked')).toBeVisible();
});

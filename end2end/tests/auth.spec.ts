import { expect, test } from '@playwright/test';
import * as path from 'node:path';
import { ARTIFACTS, DEMO_PASSWORD, failOnConsoleErrors, hydrated } from './helpers';

const NAV = ['Dashboard', 'Forecast', 'Jobs', 'Admin'];
const ROLES = [
  { email: 'viewer@tessera.local', role: 'viewer', nav: ['Dashboard', 'Forecast'] },
  { email: 'analyst@tessera.local', role: 'analyst', nav: ['Dashboard', 'Forecast', 'Jobs'] },
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

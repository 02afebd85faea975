import { expect, Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Screenshots kept as test artifacts (end2end/artifacts/). */
export const ARTIFACTS = path.resolve(__dirname, '..', 'artifacts');
fs.mkdirSync(ARTIFACTS, { recursive: true });

/** Waits until the WASM bundle has hydrated the server-rendered page. */
export async function hydrated(page: Page): Promise<void> {
  await expect(page.locator('body')).toHaveAttribute('data-hydrated', 'true');
}

/** Fails the test on any browser console error or uncaught exception. */
export function failOnConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return errors;
}

/** The demo accounts' password (set for the test server in playwright.config.ts). */
export const DEMO_PASSWORD = 'e2e-demo-password';

/** Signs in through the API, sharing cookies with the page's context. */
export async function signIn(page: Page, email = 'admin@tessera.local'): Promise<void> {
  const response = await page.request.post('/api/v1/auth/login', {
    data: { email, password: DEMO_PASSWORD },
  });
  expect(response.status()).toBe(200);
}

/**
 * A region of the demo data, as the data holds it (regions and categories
 * are the data's own values since issue 19).
 */
export const DEMO_REGION = 'Europe';

/** The checkbox of `value` in the multi-select whose button is `testid`
 * (the dropdown must be open). */
export function option(page: Page, testid: string, value: string) {
  return page.locator(`[data-testid="${testid}-option"][data-value="${value.replace(/["\\]/g, '\\$&')}"]`);
}

/** `value` as the dashboard's URL carries it: `region=<escaped>`. */
export function regionParam(value: string): string {
  return `region=${encodeURIComponent(value)}`;
}

import { expect, test } from './fixtures';
import { hydrated, signIn } from './helpers';

test('pages carry a nonce-based CSP, and a script without the nonce is refused', async ({ page, cspViolations }) => {
  await signIn(page);
  const first = await page.goto('/');
  await hydrated(page);
  const policy = first?.headers()['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
  expect(nonce, policy).toBeTruthy();
  expect(policy).toContain("style-src 'self';");
  const second = await page.goto('/');
  expect(second?.headers()['content-security-policy']).not.toBe(policy);
  await hydrated(page);
  expect(cspViolations).toEqual([]);

  // An injected inline script (as in an XSS) does not run, and the guard
  // every test relies on sees the violation.
  await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
  });
  await expect.poll(() => cspViolations.length).toBeGreaterThan(0);
  expect(await page.evaluate(() => (window as unknown as { injected?: boolean }).injected)).toBeUndefined();
  expect(cspViolations.join('\n')).toContain('script-src');
  cspViolations.length = 0;
});

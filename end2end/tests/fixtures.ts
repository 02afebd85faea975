import { test as base, expect, Browser, BrowserContext } from '@playwright/test';

export { expect };

/**
 * Records every Content-Security-Policy violation in `context`: Chromium
 * logs each one to the console ("Refused to … because it violates the
 * following Content Security Policy directive …"), and pages fire a
 * `securitypolicyviolation` event, which an init script forwards here.
 */
async function watchCsp(context: BrowserContext, violations: string[]): Promise<void> {
  context.on('console', (msg) => {
    if (msg.text().includes('Content Security Policy')) {
      violations.push(`${msg.page()?.url() ?? '(no page)'}: ${msg.text()}`);
    }
  });
  await context.exposeBinding('__tesseraCspViolation', ({ page }, text: string) => {
    violations.push(`${page.url()}: ${text}`);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (window as unknown as { __tesseraCspViolation: (text: string) => void }).__tesseraCspViolation;
      report(`${e.effectiveDirective} refused ${e.blockedURI || 'inline'} at ${e.sourceFile}:${e.lineNumber}`);
    });
  });
}

/**
 * Every test of the suite imports `test` from here: it fails the test on any
 * CSP violation in any page it opened, in its own context or in contexts it
 * made with `browser.newContext()`. A test that provokes a violation on
 * purpose reads and empties `cspViolations`.
 */
export const test = base.extend<{ cspViolations: string[] }>({
  cspViolations: [
    async ({ context, browser }: { context: BrowserContext; browser: Browser }, use) => {
      const violations: string[] = [];
      await watchCsp(context, violations);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (options) => {
        const made = await newContext(options);
        await watchCsp(made, violations);
        return made;
      };
      try {
        await use(violations);
      } finally {
        browser.newContext = newContext;
      }
      expect(violations, 'Content-Security-Policy violations').toEqual([]);
    },
    { auto: true },
  ],
});

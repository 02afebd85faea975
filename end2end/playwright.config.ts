import { defineConfig } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// The server under test: the binary `cargo leptos build` produced, on its own
// port and a fresh data directory, started and stopped by Playwright.
const port = Number(process.env.TESSERA_E2E_PORT ?? 3107);
// Binaries follow CARGO_TARGET_DIR; cargo-leptos writes the site (WASM, JS,
// CSS) to `site-root`, which stays relative to the workspace.
const repo = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
const binary = process.env.TESSERA_E2E_BIN ?? path.join(targetDir, 'debug', 'tessera');
const siteRoot = process.env.TESSERA_E2E_SITE_ROOT ?? path.join(repo, 'target', 'site');
export const DEMO_PASSWORD = 'e2e-demo-password';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-e2e-'));

export default defineConfig({
  testDir: './tests',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: [['list']],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
  webServer: {
    command: `"${binary}" serve`,
    url: `http://127.0.0.1:${port}/api/v1/ready`,
    reuseExistingServer: false,
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      TESSERA_BIND: `127.0.0.1:${port}`,
      TESSERA_DATA_DIR: dataDir,
      TESSERA_SITE_ROOT: siteRoot,
      TESSERA_MODE: 'demo',
      TESSERA_DEMO_PASSWORD: DEMO_PASSWORD,
      // The suite signs the same demo accounts in many times a minute.
      TESSERA_LOGIN_ATTEMPTS_PER_MINUTE: '1000',
      // Jobs pause between their steps, so their progress can be watched.
      TESSERA_JOB_STEP_PAUSE: '600ms',
      TESSERA_LOG: 'warn',
    },
  },
});

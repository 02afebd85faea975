import { defineConfig } from '@playwright/test';
import * as path from 'node:path';
import base from './playwright.config';

// The browser benchmark (bench/*.bench.ts): not part of `npx playwright
// test`, whose config only looks in ./tests. It runs the RELEASE build by
// default, on its own port, with the same server settings as the suite.
// Run it with `end2end/bench/run` (see there).
const port = Number(process.env.TESSERA_BENCH_PORT ?? 3117);
const repo = path.resolve(__dirname, '..');
const targetDir = process.env.CARGO_TARGET_DIR ?? path.join(repo, 'target');
const binary = process.env.TESSERA_BENCH_BIN ?? path.join(targetDir, 'release', 'tessera');
const siteRoot = process.env.TESSERA_BENCH_SITE_ROOT ?? path.join(repo, 'target', 'site');
// The suite's server (one, not a list): its settings with the bench's binary and port.
const server = base.webServer as unknown as { env: Record<string, string> } & Record<string, unknown>;

export default defineConfig({
  ...base,
  testDir: './bench',
  testMatch: '*.bench.ts',
  timeout: 15 * 60_000,
  outputDir: 'bench-results',
  use: {
    ...base.use,
    baseURL: `http://127.0.0.1:${port}`,
    trace: 'off',
    screenshot: 'off',
  },
  webServer: {
    ...server,
    command: `"${binary}" serve`,
    url: `http://127.0.0.1:${port}/api/v1/ready`,
    env: { ...server.env, TESSERA_BIND: `127.0.0.1:${port}`, TESSERA_SITE_ROOT: siteRoot },
  },
});

// The browser benchmark: load-to-hydrated (cold and warm) and
// click-to-settled on the dashboard, measured in Chromium against the
// release build, written to a markdown report. It asserts nothing about
// speed: it measures and reports. Run it with `end2end/bench/run`.
import { test, expect, Browser, BrowserContext, Page } from '@playwright/test';
import { execSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_PASSWORD } from '../playwright.config';
import { armClickProbe, ClickSample, clickSettled, LoadSample, loadProbe, loadSample } from './probes';

const RUNS = Number(process.env.TESSERA_BENCH_RUNS ?? 20);
const REPORT = process.env.TESSERA_BENCH_REPORT ?? path.resolve(__dirname, '..', '..', 'target', 'bench-browser.md');
const USER = 'analyst@tessera.local';
/** The widgets whose data depends on the date range and the segments. */
const WIDGETS = ['kpi-cards', 'timeseries', 'breakdown-region', 'breakdown-category', 'orders-table'];
/** Nothing changed in the widgets for this long: they are settled. */
const QUIET_MS = 300;

test.describe.configure({ mode: 'serial' });

const loads: { cold: LoadSample[]; warm: LoadSample[] } = { cold: [], warm: [] };
const clicks: Record<string, ClickSample[]> = {};

async function signedInContext(browser: Browser): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: test.info().project.use.baseURL });
  const response = await context.request.post('/api/v1/auth/login', {
    data: { email: USER, password: DEMO_PASSWORD },
  });
  expect(response.status()).toBe(200);
  await context.addInitScript(loadProbe);
  return context;
}

async function load(page: Page): Promise<LoadSample> {
  await page.goto('/');
  await page.waitForSelector('body[data-hydrated="true"]');
  return page.evaluate(loadSample);
}

test('load to hydrated, cold and warm', async ({ browser }) => {
  // One load first, not counted: the server's caches warm up.
  for (let run = -1; run < RUNS; run++) {
    const context = await signedInContext(browser);
    const page = await context.newPage();
    const cold = await load(page);
    await page.goto('about:blank');
    const warm = await load(page);
    if (run >= 0) {
      loads.cold.push(cold);
      loads.warm.push(warm);
    }
    await context.close();
  }
});

/** Clicks `targets` in turn, `RUNS` times after one round not counted, and
 * measures each click until the dashboard is settled. */
async function measureClicks(page: Page, name: string, targets: (() => Promise<void>)[]): Promise<void> {
  clicks[name] = [];
  for (let run = -targets.length; run < RUNS; run++) {
    const click = targets[(run + targets.length) % targets.length];
    await page.evaluate(armClickProbe, WIDGETS);
    await click();
    const sample = await page.evaluate(clickSettled, [WIDGETS, QUIET_MS, 10_000] as [string[], number, number]);
    expect(sample.timedOut, `${name}: the dashboard settled`).toBe(false);
    if (run >= 0) clicks[name].push(sample);
  }
}

test('click a filter to settled, warm', async ({ browser }) => {
  const context = await signedInContext(browser);
  const page = await context.newPage();
  await load(page);
  for (const id of WIDGETS) await expect(page.getByTestId(id)).toHaveAttribute('aria-busy', 'false');

  // A date-range preset, 7 days and back to 30.
  await measureClicks(page, 'range preset (7D ↔ 30D)', [
    () => page.getByTestId('range-7d').click(),
    () => page.getByTestId('range-30d').click(),
  ]);

  // A region ticked and unticked in the open Regions list (the model
  // accuracy card depends on it too).
  await page.getByTestId('filter-regions').click();
  const europe = page.locator('[data-testid="filter-regions-option"][data-value="Europe"]');
  await measureClicks(page, 'region (Europe on ↔ off)', [() => europe.click(), () => europe.click()]);
  await context.close();
});

test.afterAll(() => writeReport());

// ---- statistics and the report ----

/** Nearest-rank percentile of the defined values. */
function percentile(values: (number | null)[], p: number): number | null {
  const sorted = values.filter((v): v is number => v !== null && Number.isFinite(v)).sort((a, b) => a - b);
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

const ms = (v: number | null) => (v === null ? '–' : `${v.toFixed(1)} ms`);
const row = (label: string, values: (number | null)[]) =>
  `| ${label} | ${ms(percentile(values, 50))} | ${ms(percentile(values, 90))} | ${values.filter((v) => v !== null).length} |`;
const kb = (bytes: number | undefined) => (bytes === undefined ? '–' : `${(bytes / 1024).toFixed(1)} KB`);

function loadTable(samples: LoadSample[]): string[] {
  const sub = (a: (s: LoadSample) => number | null, b: (s: LoadSample) => number | null) =>
    samples.map((s) => (a(s) === null || b(s) === null ? null : a(s)! - b(s)!));
  return [
    '| From navigation start to … | median | p90 | n |',
    '|---|---|---|---|',
    row('**hydrated** (`data-hydrated` set)', samples.map((s) => s.hydrated)),
    row('first byte of the HTML', samples.map((s) => s.ttfb)),
    row('HTML received', samples.map((s) => s.htmlEnd)),
    row('first contentful paint', samples.map((s) => s.fcp)),
    row('DOMContentLoaded done', samples.map((s) => s.domContentLoaded)),
    row('WASM requested', samples.map((s) => s.wasmFetchStart)),
    row('WASM received', samples.map((s) => s.wasmResponseEnd)),
    row('WASM compiled and instantiated', samples.map((s) => s.wasmInstantiated)),
    row('↳ instantiated → hydrated (hydration itself)', sub((s) => s.hydrated, (s) => s.wasmInstantiated)),
  ];
}

function sizeTable(): string[] {
  const cold = loads.cold[0]?.sizes ?? {};
  const warm = loads.warm[0]?.sizes ?? {};
  const lines = ['| Resource | transfer, cold | encoded body | decoded body | transfer, warm |', '|---|---|---|---|---|'];
  for (const [name, size] of Object.entries(cold)) {
    lines.push(`| ${name} | ${kb(size.transfer)} | ${kb(size.encoded)} | ${kb(size.decoded)} | ${kb(warm[name]?.transfer)} |`);
  }
  return lines;
}

function clickTable(samples: ClickSample[]): string[] {
  const first = (s: ClickSample) => (s.requests.length ? Math.min(...s.requests.map((r) => r.start)) : null);
  const lastEnd = (s: ClickSample) => (s.requests.length ? Math.max(...s.requests.map((r) => r.end)) : null);
  const server = (s: ClickSample) => (s.requests.length ? Math.max(...s.requests.map((r) => r.end - r.start)) : null);
  const paths = samples[0]?.requests.map((r) => r.path).sort() ?? [];
  return [
    '| From the click event to … | median | p90 | n |',
    '|---|---|---|---|',
    row('**Revenue KPI text changed** (frame painted)', samples.map((s) => s.revenuePainted)),
    row('**every dependent widget settled** (frame painted)', samples.map((s) => s.settled)),
    row('click handler started', samples.map((s) => s.handlerStart)),
    row('first API request started', samples.map(first)),
    row('last API response received', samples.map(lastEnd)),
    row('first DOM change in a widget', samples.map((s) => s.firstChange)),
    row('Revenue text changed (DOM)', samples.map((s) => s.revenueChanged)),
    row('last DOM change in a widget', samples.map((s) => s.lastChange)),
    row('↳ longest request (start → end)', samples.map(server)),
    row('↳ last response → settled frame', samples.map((s) => (s.settled === null || lastEnd(s) === null ? null : s.settled - lastEnd(s)!))),
    '',
    `Requests per click: ${paths.length} (${paths.map((p) => `\`${p.replace('/api/v1/', '')}\``).join(', ')}).`,
  ];
}

function git(command: string): string {
  try {
    return execSync(`git ${command}`, { cwd: __dirname, encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

function writeReport(): void {
  const dirty = git('status --porcelain --untracked-files=no') ? ' (with uncommitted changes)' : '';
  const lines = [
    `# Tessera browser benchmark (${new Date().toISOString().slice(0, 16)}Z, ${git('rev-parse --short HEAD')}${dirty})`,
    '',
    `Chromium (${process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'}), headless, loopback; server ` +
      `\`${process.env.TESSERA_BENCH_BIN ?? '$CARGO_TARGET_DIR/release/tessera'}\`; signed in as ${USER}; ` +
      `${RUNS} runs each after one not counted. Times are the page's own \`performance.now()\`.`,
    '',
    '## Load to hydrated',
    '',
    'Cold: a new browser context (empty cache). Warm: the same context loads `/` again (assets cached).',
    '',
    '### Cold',
    '',
    ...loadTable(loads.cold),
    '',
    '### Warm',
    '',
    ...loadTable(loads.warm),
    '',
    '### Transfer sizes (Resource Timing)',
    '',
    ...sizeTable(),
    '',
    '## Click a filter to settled (warm)',
    '',
    'The same filters were clicked before, so the server\'s cache is warm. "Settled": the Revenue text has ' +
      `changed, no dependent widget (${WIDGETS.map((w) => `\`${w}\``).join(', ')}) is \`aria-busy="true"\` ` +
      `or shows a skeleton, and nothing in them changed for ${QUIET_MS} ms; the time is that of the frame after ` +
      'their last DOM change (requestAnimationFrame, then a message).',
  ];
  for (const [name, samples] of Object.entries(clicks)) {
    lines.push('', `### ${name}`, '', ...clickTable(samples));
  }
  fs.mkdirSync(path.dirname(REPORT), { recursive: true });
  fs.writeFileSync(REPORT, lines.join('\n') + '\n');
  console.log(lines.join('\n'));
  console.log(`\nReport written to ${REPORT}`);
}

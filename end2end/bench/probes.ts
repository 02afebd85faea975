// Code that runs inside the page (passed to `addInitScript` / `evaluate`),
// so every time is the page's own `performance.now()`, with no Playwright
// round trip in it. Each function is self-contained: Playwright serializes it.

/** What the load probe saw, in ms since navigation start (`timeOrigin`). */
export interface LoadSample {
  /** `body[data-hydrated="true"]` set (the app's first effect after hydration). */
  hydrated: number;
  /** First byte of the HTML. */
  ttfb: number;
  /** The whole HTML received. */
  htmlEnd: number;
  /** `DOMContentLoaded` handlers finished. */
  domContentLoaded: number;
  /** First contentful paint (the server-rendered page). */
  fcp: number | null;
  /** The WASM module received, and compiled + instantiated. */
  wasmFetchStart: number | null;
  wasmResponseEnd: number | null;
  wasmInstantiated: number | null;
  /** Transfer (on the wire, with headers; 0 or ~300 B when cached) and
   * encoded body (compressed payload) sizes, bytes. */
  sizes: Record<string, { transfer: number; encoded: number; decoded: number }>;
}

/** Installed with `addInitScript`: records when `data-hydrated` is set and
 * when the WASM module is instantiated. */
export function loadProbe(): void {
  const probe = { hydrated: null as number | null, wasm: [] as { start: number; end: number }[] };
  (window as unknown as { __bench: typeof probe }).__bench = probe;
  new MutationObserver((_, observer) => {
    if (document.body?.dataset.hydrated === 'true') {
      probe.hydrated = performance.now();
      observer.disconnect();
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-hydrated'] });
  const wasm = WebAssembly as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['instantiateStreaming', 'instantiate']) {
    const original = wasm[name];
    if (!original) continue;
    wasm[name] = function (this: unknown, ...args: unknown[]) {
      const start = performance.now();
      return original.apply(this, args).then((result) => {
        probe.wasm.push({ start, end: performance.now() });
        return result;
      });
    };
  }
}

/** Called once `data-hydrated` is set: the probe's times and the navigation
 * and resource timings. */
export function loadSample(): LoadSample {
  const probe = (window as unknown as { __bench: { hydrated: number; wasm: { start: number; end: number }[] } }).__bench;
  const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
  const resources = performance.getEntriesByType('resource') as PerformanceResourceTiming[];
  const find = (ext: string) =>
    resources.find((r) => {
      const path = new URL(r.name).pathname;
      return path.startsWith('/pkg/') && path.endsWith(ext);
    });
  const sizes: LoadSample['sizes'] = {
    html: { transfer: nav.transferSize, encoded: nav.encodedBodySize, decoded: nav.decodedBodySize },
  };
  for (const ext of ['.wasm', '.js', '.css']) {
    const entry = find(ext);
    if (entry) {
      sizes[ext.slice(1)] = { transfer: entry.transferSize, encoded: entry.encodedBodySize, decoded: entry.decodedBodySize };
    }
  }
  const wasm = find('.wasm');
  const fcp = performance.getEntriesByName('first-contentful-paint')[0];
  // The app's own mark (set with the attribute), when the build has one.
  const mark = performance.getEntriesByName('tessera:hydrated', 'mark')[0];
  return {
    hydrated: mark ? mark.startTime : probe.hydrated,
    ttfb: nav.responseStart,
    htmlEnd: nav.responseEnd,
    domContentLoaded: nav.domContentLoadedEventEnd,
    fcp: fcp ? fcp.startTime : null,
    wasmFetchStart: wasm ? wasm.startTime : null,
    wasmResponseEnd: wasm ? wasm.responseEnd : null,
    wasmInstantiated: probe.wasm.length ? probe.wasm[probe.wasm.length - 1].end : null,
    sizes,
  };
}

/** One API request made after the click, in ms since the click. */
export interface RequestSample {
  path: string;
  start: number;
  responseStart: number;
  end: number;
}

/** What the click probe saw, in ms since the click event's timestamp. */
export interface ClickSample {
  /** Set when the dashboard did not settle within the time limit. */
  timedOut: boolean;
  /** The click handler started (input delay). */
  handlerStart: number;
  /** First DOM change in a dependent widget. */
  firstChange: number | null;
  /** The Revenue KPI's text changed, and the frame after it. */
  revenueChanged: number | null;
  revenuePainted: number | null;
  /** The last DOM change in a dependent widget, and the frame after it. */
  lastChange: number | null;
  settled: number | null;
  requests: RequestSample[];
}

/** Arms the click probe before the click: records the click's timestamp and
 * every DOM change in the widgets that depend on the filters. */
export function armClickProbe(widgets: string[]): void {
  const selector = widgets.map((id) => `[data-testid="${id}"]`).join(',');
  const revenueText = () => document.querySelector('[data-testid="kpi-value-revenue"]')?.textContent ?? '';
  const before = revenueText();
  const state = {
    t0: null as number | null,
    handlerStart: 0,
    firstChange: null as number | null,
    revenueChanged: null as number | null,
    revenuePainted: null as number | null,
    lastChange: null as number | null,
    settled: null as number | null,
    observer: null as MutationObserver | null,
    done: null as null | (() => void),
  };
  (window as unknown as { __click: typeof state }).__click = state;
  performance.clearResourceTimings();
  // The frame after a change: rAF runs before style, layout and paint;
  // a message posted from it is handled once that frame is produced.
  const afterPaint = (record: (t: number) => void) =>
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => record(performance.now());
      channel.port2.postMessage(0);
    });
  window.addEventListener(
    'click',
    (event) => {
      state.t0 = event.timeStamp;
      state.handlerStart = performance.now();
    },
    { capture: true, once: true },
  );
  state.observer = new MutationObserver((records) => {
    const relevant = records.some((r) => {
      const node = r.target instanceof Element ? r.target : r.target.parentElement;
      return !!node?.closest(selector);
    });
    if (!relevant || state.t0 === null) return;
    const now = performance.now();
    state.firstChange ??= now;
    state.lastChange = now;
    afterPaint((t) => {
      if (state.lastChange === now) state.settled = t;
    });
    if (state.revenueChanged === null && revenueText() !== before) {
      state.revenueChanged = now;
      afterPaint((t) => (state.revenuePainted = t));
    }
  });
  state.observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
}

/** Resolves once the widgets are settled: the Revenue text changed, none is
 * busy (`aria-busy="false"`) or shows a skeleton, and nothing in them has
 * changed for `quietMs`. */
export function clickSettled([widgets, quietMs, limitMs]: [string[], number, number]): Promise<ClickSample> {
  type State = {
    t0: number | null;
    handlerStart: number;
    firstChange: number | null;
    revenueChanged: number | null;
    revenuePainted: number | null;
    lastChange: number | null;
    settled: number | null;
    observer: MutationObserver;
  };
  const state = (window as unknown as { __click: State }).__click;
  const calm = () =>
    state.revenueChanged !== null &&
    widgets.every((id) => {
      const card = document.querySelector(`[data-testid="${id}"]`);
      return card && card.getAttribute('aria-busy') !== 'true' && !card.querySelector('.skeleton');
    });
  const started = performance.now();
  return new Promise((resolve) => {
    const check = () => {
      const now = performance.now();
      const quiet = state.lastChange !== null && state.settled !== null && now - state.lastChange >= quietMs;
      const timedOut = now - started > limitMs;
      if (!(calm() && quiet) && !timedOut) {
        setTimeout(check, 25);
        return;
      }
      state.observer.disconnect();
      const t0 = state.t0 ?? 0;
      const since = (t: number | null) => (t === null ? null : t - t0);
      const requests = (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((r) => new URL(r.name).pathname.startsWith('/api/') && r.startTime >= t0)
        .map((r) => ({
          path: new URL(r.name).pathname,
          start: r.startTime - t0,
          responseStart: r.responseStart - t0,
          end: r.responseEnd - t0,
        }));
      resolve({
        timedOut: timedOut && !(calm() && quiet),
        handlerStart: state.handlerStart - t0,
        firstChange: since(state.firstChange),
        revenueChanged: since(state.revenueChanged),
        revenuePainted: since(state.revenuePainted),
        lastChange: since(state.lastChange),
        settled: since(state.settled),
        requests,
      });
    };
    check();
  });
}

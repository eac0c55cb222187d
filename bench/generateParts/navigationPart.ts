import type { Browser, Page, Request } from '@playwright/test';
import type { BenchIo } from '../benchCommand';
import type { BenchContext } from '../benchLine';
import {
  firstStepProbeScript,
  PROBE_GLOBAL,
  type FirstStepProbeOptions,
  type FirstStepTimes,
} from '../firstStepProbe';
import { median } from '../stats';
import type { BenchServer } from '../viteServer';

const NAVIGATION_TIMEOUT_MS = 180_000;

export interface NavigationSettings extends FirstStepProbeOptions {
  /** The app's URL hash (#…) to open. */
  hash: string;
  navigations: number;
}

type Timed = FirstStepTimes & {
  provider: string | null;
  /** Bytes over the wire (headers and encoded bodies) of the requests finished by then. */
  transferBytes: number;
  requests: number;
};

/**
 * Navigates (or reloads) and returns the probe's times once the first step is painted, with
 * what the page and its workers downloaded until then (a response served from the HTTP cache
 * counts what crossed the wire for it: a 304's headers, or nothing).
 */
async function timeFirstStep(page: Page, go: () => Promise<unknown>): Promise<Timed> {
  const sizes: Promise<number>[] = [];
  let counting = true;
  const onFinished = (request: Request) => {
    if (!counting) return;
    sizes.push(
      request
        .sizes()
        .then((s) => s.responseHeadersSize + s.responseBodySize)
        .catch(() => 0),
    );
  };
  page.on('requestfinished', onFinished);
  await go();
  await page.waitForFunction(
    (key) => (window as unknown as Record<string, FirstStepTimes>)[key]?.firstStepMs != null,
    PROBE_GLOBAL,
    { timeout: NAVIGATION_TIMEOUT_MS, polling: 100 },
  );
  counting = false;
  page.off('requestfinished', onFinished);
  const bytes = await Promise.all(sizes);
  const times = await page.evaluate(
    (key) => (window as unknown as Record<string, FirstStepTimes>)[key],
    PROBE_GLOBAL,
  );
  const provider = await page
    .getByLabel('Backend', { exact: true })
    .getAttribute('data-provider', { timeout: 5_000 })
    .catch(() => null);
  return {
    ...times,
    provider,
    transferBytes: bytes.reduce((a, b) => a + b, 0),
    requests: bytes.length,
  };
}

/**
 * Navigation → first rendered step of a generation in the app, cold (a fresh browser context:
 * empty HTTP cache, empty Cache API) then warm (the same context reloaded: the model comes
 * from the Cache API, ORT's files from the HTTP cache).
 */
export async function navigationPart(
  browser: Browser,
  server: BenchServer,
  io: BenchIo,
  context: BenchContext,
  settings: NavigationSettings,
): Promise<void> {
  const url = `${server.origin}/#${settings.hash}`;
  const probe = firstStepProbeScript(settings);
  if (server.mode === 'dev') {
    // Vite transforms each module on its first request: do that once, untimed, so that "cold"
    // measures the browser's work rather than the dev server's.
    io.progress('generate: priming the dev server with one untimed navigation…\n');
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.addInitScript({ content: probe });
      await timeFirstStep(page, () => page.goto(url));
    } finally {
      await ctx.close();
    }
  }
  const cold: Timed[] = [];
  const warm: Timed[] = [];
  for (let i = 0; i < settings.navigations; i++) {
    io.progress(`generate: navigation ${i + 1}/${settings.navigations} (cold, then warm)…\n`);
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.addInitScript({ content: probe });
      cold.push(await timeFirstStep(page, () => page.goto(url)));
      warm.push(await timeFirstStep(page, () => page.reload()));
      if (errors.length) throw new Error(`the app failed: ${errors.join('; ')}`);
    } finally {
      await ctx.close();
    }
  }
  const line: BenchContext = {
    n: settings.navigations,
    url: `/#${settings.hash}`,
    provider: warm.at(-1)?.provider ?? null,
    startButton: settings.startButton,
    startScope: settings.startScope,
    stepSelector: settings.stepSelector,
    ...context,
  };
  const figures = [
    ['first_step_cold', cold, 'fresh browser context (empty HTTP cache and Cache API)'],
    ['first_step_warm', warm, 'same context reloaded: the model comes from the Cache API'],
  ] as const;
  for (const [metric, runs, how] of figures) {
    io.emit({
      bench: 'generate',
      metric,
      value: median(runs.map((r) => r.firstStepMs!)),
      unit: 'ms',
      runs: runs.map((r) => r.firstStepMs!),
      // When the start button became enabled (the model was loaded) and was clicked.
      clickMs: runs.map((r) => r.clickMs),
      // Main-thread tasks over 50 ms (wall clock) before the first step, per navigation.
      longTasksMs: runs.map((r) => r.longTasksMs.map(Math.round)),
      how: `${how}; navigation start → the frame after the first step was shown`,
      ...line,
    });
  }
  const transfers = [
    ['transfer_cold', cold, 'fresh browser context (empty HTTP cache and Cache API)'],
    ['transfer_warm', warm, 'same context reloaded (HTTP cache, Cache API)'],
  ] as const;
  for (const [metric, runs, how] of transfers) {
    io.emit({
      bench: 'generate',
      metric,
      value: median(runs.map((r) => r.transferBytes)),
      unit: 'bytes',
      runs: runs.map((r) => r.transferBytes),
      requests: runs.map((r) => r.requests),
      how: `${how}; headers and encoded bodies of every request of the page and its workers finished before the first step was shown`,
      ...line,
    });
  }
}

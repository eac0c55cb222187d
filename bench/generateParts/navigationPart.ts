import type { Browser, Page, Request } from '@playwright/test';
import type { BenchIo } from '../benchCommand';
import type { BenchContext } from '../benchLine';
import {
  firstStepProbeScript,
  longTasksBefore,
  PROBE_GLOBAL,
  type FirstStepProbeOptions,
  type FirstStepTimes,
} from '../firstStepProbe';
import { median } from '../stats';
import type { BenchServer } from '../viteServer';

const NAVIGATION_TIMEOUT_MS = 180_000;

export interface NavigationSettings extends Omit<FirstStepProbeOptions, 'click'> {
  /** The app's URL hash (#…) to open for the first step (then Generate is clicked). */
  hash: string;
  /**
   * The URL hash a newcomer arrives with ('' for none): the default settings, whose recorded
   * run plays before the model has loaded.
   */
  arrivalHash: string;
  navigations: number;
}

/** The moment a navigation waits for. */
type Awaited = 'firstStep' | 'arrival';

type Timed = FirstStepTimes & {
  provider: string | null;
  /** Bytes over the wire (headers and encoded bodies) of the requests finished by then. */
  transferBytes: number;
  requests: number;
};

/**
 * Navigates (or reloads) and returns the probe's times once the awaited moment is painted,
 * with what the page and its workers downloaded until then (a response served from the HTTP
 * cache counts what crossed the wire for it: a 304's headers, or nothing).
 */
async function timeUntil(page: Page, awaited: Awaited, go: () => Promise<unknown>): Promise<Timed> {
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
    ([key, moment]) =>
      (window as unknown as Record<string, FirstStepTimes>)[key]?.[moment].paintedMs != null,
    [PROBE_GLOBAL, awaited] as const,
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

interface Pairs {
  cold: Timed[];
  warm: Timed[];
}

/**
 * `n` fresh browser contexts, each navigated to the URL (cold: empty HTTP cache and Cache API)
 * and then reloaded (warm: the model from the Cache API, ORT's files from the HTTP cache),
 * timed until the awaited moment.
 */
async function navigationPairs(
  browser: Browser,
  url: string,
  probe: string,
  awaited: Awaited,
  n: number,
  io: BenchIo,
): Promise<Pairs> {
  const cold: Timed[] = [];
  const warm: Timed[] = [];
  for (let i = 0; i < n; i++) {
    io.progress(`generate: ${awaited}: navigation ${i + 1}/${n} (cold, then warm)…\n`);
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.addInitScript({ content: probe });
      cold.push(await timeUntil(page, awaited, () => page.goto(url)));
      warm.push(await timeUntil(page, awaited, () => page.reload()));
      if (errors.length) throw new Error(`the app failed: ${errors.join('; ')}`);
    } finally {
      await ctx.close();
    }
  }
  return { cold, warm };
}

const COLD = 'fresh browser context (empty HTTP cache and Cache API)';
const WARM = 'same context reloaded: the model comes from the Cache API, ORT from the HTTP cache';

/** The JSON lines of one kind of navigation: time to the moment, and bytes until then. */
function emitFigures(
  io: BenchIo,
  pairs: Pairs,
  awaited: Awaited,
  names: { time: string; transfer: string },
  how: string,
  line: BenchContext,
): void {
  const at = (r: Timed) => r[awaited].paintedMs!;
  const temps = [
    ['cold', pairs.cold, COLD],
    ['warm', pairs.warm, WARM],
  ] as const;
  for (const [temp, runs, context] of temps) {
    const extra =
      awaited === 'firstStep'
        ? // When the start button became enabled (the model was loaded) and was clicked.
          { clickMs: runs.map((r) => r.clickMs) }
        : {
            // The recorded run in the page at frame 0, and when Generate was enabled (the model
            // loaded; null: not yet when the run animated, nothing waits for it).
            shownMs: runs.map((r) => r.arrivalShown.paintedMs),
            modelReadyMs: runs.map((r) => r.readyMs),
          };
    io.emit({
      bench: 'generate',
      metric: `${names.time}_${temp}`,
      value: median(runs.map(at)),
      unit: 'ms',
      runs: runs.map(at),
      ...extra,
      // Main-thread tasks over 50 ms (wall clock) that started before the moment.
      longTasksMs: runs.map((r) => longTasksBefore(r.longTasks, at(r))),
      how: `${context}; navigation start → ${how}`,
      ...line,
    });
  }
  for (const [temp, runs, context] of temps) {
    io.emit({
      bench: 'generate',
      metric: `${names.transfer}_${temp}`,
      value: median(runs.map((r) => r.transferBytes)),
      unit: 'bytes',
      runs: runs.map((r) => r.transferBytes),
      requests: runs.map((r) => r.requests),
      how: `${context}; headers and encoded bodies of every request of the page and its workers finished before ${how}`,
      ...line,
    });
  }
}

/**
 * Navigation → first rendered step of a generation in the app (Generate clicked the moment the
 * model is loaded), and navigation → the first call of the recorded arrival run on screen (a
 * newcomer's URL, nothing clicked), each cold and warm, with the bytes transferred by then.
 */
export async function navigationPart(
  browser: Browser,
  server: BenchServer,
  io: BenchIo,
  context: BenchContext,
  settings: NavigationSettings,
): Promise<void> {
  const stepUrl = `${server.origin}/#${settings.hash}`;
  const arrivalUrl = `${server.origin}/${settings.arrivalHash ? `#${settings.arrivalHash}` : ''}`;
  const stepProbe = firstStepProbeScript({ ...settings, click: true });
  const arrivalProbe = firstStepProbeScript({ ...settings, click: false });
  if (server.mode === 'dev') {
    // Vite transforms each module on its first request: do that once, untimed, so that "cold"
    // measures the browser's work rather than the dev server's.
    io.progress('generate: priming the dev server with one untimed navigation…\n');
    const ctx = await browser.newContext();
    try {
      const page = await ctx.newPage();
      await page.addInitScript({ content: stepProbe });
      await timeUntil(page, 'firstStep', () => page.goto(stepUrl));
    } finally {
      await ctx.close();
    }
  }
  const n = settings.navigations;
  const steps = await navigationPairs(browser, stepUrl, stepProbe, 'firstStep', n, io);
  const arrivals = await navigationPairs(browser, arrivalUrl, arrivalProbe, 'arrival', n, io);
  const common: BenchContext = {
    n,
    provider: steps.warm.at(-1)?.provider ?? null,
    ...context,
  };
  emitFigures(
    io,
    steps,
    'firstStep',
    { time: 'first_step', transfer: 'transfer' },
    'the frame after the first step was shown',
    {
      url: `/#${settings.hash}`,
      startButton: settings.startButton,
      startScope: settings.startScope,
      stepSelector: settings.stepSelector,
      ...common,
    },
  );
  emitFigures(
    io,
    arrivals,
    'arrival',
    { time: 'arrival', transfer: 'arrival_transfer' },
    "the frame after the recorded arrival run's first call was shown",
    {
      url: arrivalUrl.slice(server.origin.length),
      arrivalSelector: settings.arrivalSelector,
      ...common,
    },
  );
}

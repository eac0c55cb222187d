import type { Browser, Page } from '@playwright/test';
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

type Timed = FirstStepTimes & { provider: string | null };

/** Navigates (or reloads) and returns the probe's times once the first step is painted. */
async function timeFirstStep(page: Page, go: () => Promise<unknown>): Promise<Timed> {
  await go();
  await page.waitForFunction(
    (key) => (window as unknown as Record<string, FirstStepTimes>)[key]?.firstStepMs != null,
    PROBE_GLOBAL,
    { timeout: NAVIGATION_TIMEOUT_MS, polling: 100 },
  );
  const times = await page.evaluate(
    (key) => (window as unknown as Record<string, FirstStepTimes>)[key],
    PROBE_GLOBAL,
  );
  const provider = await page
    .getByLabel('Backend', { exact: true })
    .getAttribute('data-provider', { timeout: 5_000 })
    .catch(() => null);
  return { ...times, provider };
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
      how: `${how}; navigation start → the frame after the first step was shown`,
      ...line,
    });
  }
}

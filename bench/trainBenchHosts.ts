/**
 * Where `bench -- train` runs the bench of pages/trainBench.ts: in one headless Chromium page
 * served by a Vite server (the default; the figures a person's browser would see), or in this
 * Node process on Dawn (`--host node`: for a machine with a GPU and no browser). Each host is
 * imported only when chosen, so the Node host needs neither Playwright nor Vite.
 */
import path from 'node:path';
import type { BenchIo } from './benchCommand';
import type { TrainBenchPage } from './pages/trainBenchApi';
import type { ServerMode } from './viteServer';

export interface TrainBenchSession {
  bench: TrainBenchPage;
  /** What ran the bench, in words, for every figure. */
  host: string;
  /** Present when a browser ran it. */
  browser?: string;
  /** Disposes of the bench and stops what the host started; throws if the page failed. */
  close(): Promise<void>;
}

export async function openBrowserSession(
  server: ServerMode,
  io: BenchIo,
): Promise<TrainBenchSession> {
  const [{ chromium }, { chromiumLaunchOptions }, { startBenchServer }] = await Promise.all([
    import('@playwright/test'),
    import('../e2e/browserLaunch'),
    import('./viteServer'),
  ]);
  const root = path.resolve(import.meta.dirname, '..');
  io.progress(`train: starting the ${server} server…\n`);
  const vite = await startBenchServer(server, root, io.progress);
  const browser = await chromium.launch(chromiumLaunchOptions()).catch(async (e: unknown) => {
    await vite.close();
    throw e;
  });
  const close = async () => {
    await browser.close();
    await vite.close();
  };
  try {
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${vite.origin}/bench/pages/train.html`);
    await page.waitForFunction(() => window.unmaskTrainBench !== undefined, null, {
      timeout: 120_000,
    });
    const name = `Chromium ${browser.version()} (headless)`;
    // Each call crosses into the page as JSON (page.evaluate) and its result comes back.
    const bench: TrainBenchPage = {
      prepare: (s) => page.evaluate((q) => window.unmaskTrainBench!.prepare(q), s),
      timeGpuTrainer: (r) => page.evaluate((q) => window.unmaskTrainBench!.timeGpuTrainer(q), r),
      timeCpuReference: (r) =>
        page.evaluate((q) => window.unmaskTrainBench!.timeCpuReference(q), r),
      timeTfjs: (backend, r) =>
        page.evaluate(([b, q]) => window.unmaskTrainBench!.timeTfjs(b, q), [backend, r] as const),
      timeJax: (device, r) =>
        page.evaluate(([d, q]) => window.unmaskTrainBench!.timeJax(d, q), [device, r] as const),
      timeCeiling: (r) => page.evaluate((q) => window.unmaskTrainBench!.timeCeiling(q), r),
      timeMatmul: (r) => page.evaluate((q) => window.unmaskTrainBench!.timeMatmul(q), r),
      timeTrainingRun: (r) => page.evaluate((q) => window.unmaskTrainBench!.timeTrainingRun(q), r),
      dispose: () => undefined,
    };
    return {
      bench,
      host: name,
      browser: name,
      async close() {
        try {
          await page.evaluate(() => window.unmaskTrainBench!.dispose());
          if (pageErrors.length) throw new Error(`the bench page failed: ${pageErrors.join('; ')}`);
        } finally {
          await close();
        }
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

export async function openNodeSession(): Promise<TrainBenchSession> {
  const { createNodeTrainBench } = await import('./nodeTrainBench');
  const bench = await createNodeTrainBench();
  return {
    bench,
    host: `Node ${process.version} with Dawn (the webgpu package)`,
    async close() {
      bench.dispose();
    },
  };
}

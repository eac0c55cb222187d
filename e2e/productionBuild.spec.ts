import { expect, test, type Page } from '@playwright/test';
import os from 'node:os';
import path from 'node:path';
import { startBenchServer, type BenchServer } from '../bench/viteServer';
import { mainThreadTasks } from './mainThreadTasks';

/**
 * The static build a person deploys (`vite build` + `vite preview`, started here on a free
 * port), not the dev server: the first load fetches only what the Generate view needs (one
 * gzipped onnxruntime-web .wasm, no KaTeX, no trainer, no labs), the other views arrive when
 * their tab is opened, and neither the first load nor a speed-lab run gives the main thread a
 * task of 50 ms of CPU.
 */

let server: BenchServer;

test.beforeAll(async () => {
  test.setTimeout(240_000);
  server = await startBenchServer('preview', path.resolve(import.meta.dirname, '..'), () => {});
});

test.afterAll(async () => {
  await server?.close();
});

interface Fetched {
  url: string;
  bytes: number;
}

/** Every request the page and its workers finish, with its bytes over the wire. */
function recordRequests(page: Page): () => Promise<Fetched[]> {
  const fetched: Promise<Fetched>[] = [];
  page.on('requestfinished', (request) => {
    fetched.push(
      request.sizes().then((sizes) => ({
        url: new URL(request.url()).pathname,
        bytes: sizes.responseHeadersSize + sizes.responseBodySize,
      })),
    );
  });
  return () => Promise.all(fetched);
}

const load = () => os.loadavg()[0];

function report(what: string, cpuMs: number[], longTasks: number[]) {
  const line =
    `${what}: ${cpuMs.length} main-thread tasks, largest ${Math.max(...cpuMs).toFixed(1)} ms CPU; ` +
    `long tasks (wall) ${JSON.stringify(longTasks.map(Math.round))}; load ${load().toFixed(1)} on ${os.cpus().length} CPUs`;
  console.log(line);
  test.info().annotations.push({ type: what, description: line });
}

test('the first load fetches only the Generate view and the WASM build, with no task of 50 ms', async ({
  browser,
}) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  const requests = recordRequests(page);
  await browser.startTracing(page, { categories: ['toplevel'] });
  await page.goto(`${server.origin}/#ep=wasm&strategy=article&steps=16&seed=1&speed=1000`);
  // An instant user, polled cheaply: a role locator's polling (accessible names of a thousand
  // elements) would itself put long tasks on the main thread being measured.
  await page.waitForFunction(
    () => {
      const button = [
        ...document.querySelectorAll<HTMLButtonElement>('section[aria-label="Generate"] button'),
      ].find((b) => b.textContent?.trim() === 'Generate');
      if (!button || button.disabled) return false;
      button.click();
      return true;
    },
    null,
    { polling: 250, timeout: 90_000 },
  );
  await page.waitForFunction(
    () => document.querySelector('[data-testid="step-row"][aria-current="step"]') !== null,
    null,
    { polling: 250, timeout: 60_000 },
  );
  const tasks = mainThreadTasks(await browser.stopTracing());
  const longTasks = await page.evaluate(
    () => (window as unknown as { longTasks: number[] }).longTasks,
  );

  // One onnxruntime-web build, gzipped (3.7 MB, not 14): the plain WASM one, as asked.
  const fetched = await requests();
  const wasm = fetched.filter((f) => /ort-wasm-[^/]*\.wasm/.test(f.url));
  expect(wasm.map((f) => path.basename(f.url))).toEqual([
    expect.stringMatching(/^ort-wasm-simd-threaded\.wasm-[\w-]+\.gz$/),
  ]);
  expect(wasm[0].bytes).toBeLessThan(4.5e6);
  expect(
    fetched.filter((f) => /\/ort\.[\w.]*bundle/.test(f.url)).map((f) => path.basename(f.url)),
  ).toEqual([expect.stringMatching(/^ort\.wasm\.bundle\.min-[\w-]+\.js$/)]);
  // The other views' code is not part of the first load.
  const lazy = /katex|ExploreView|TrainView|LabsView|trainingWorker|timingPackage/i;
  expect(fetched.filter((f) => lazy.test(f.url)).map((f) => f.url)).toEqual([]);
  // Its JavaScript, page and workers (872 kB, 257 kB gzipped, for the page alone before the
  // views were split).
  const js = fetched.filter((f) => /\.m?js$/.test(f.url)).reduce((a, f) => a + f.bytes, 0);
  expect(js).toBeLessThan(250_000);

  const cpuMs = tasks.map((t) => t.cpuMs);
  report('first load', cpuMs, longTasks);
  expect(cpuMs.length).toBeGreaterThan(20);
  expect(Math.max(...cpuMs)).toBeLessThan(50);
  if (load() < os.cpus().length) expect(longTasks.filter((d) => d > 50)).toEqual([]);

  // The other views load when their tab is opened, in the production build too.
  await page.getByRole('button', { name: 'Explore', exact: true }).click();
  await expect(page.locator('.katex').first()).toBeVisible({ timeout: 30_000 });
  expect((await requests()).some((f) => /katex/.test(f.url))).toBe(true);
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  await expect(page.getByRole('region', { name: 'Train' })).toBeVisible({ timeout: 30_000 });
  await context.close();
});

test('a speed-lab run gives the main thread no task of 50 ms', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${server.origin}/#ep=wasm&view=labs`);
  await expect(page.getByTestId('lab-pair')).toHaveAttribute('data-status', 'ready', {
    timeout: 90_000,
  });
  const lab = page.getByRole('region', { name: 'Speed' });
  // Every window length (16 trained; 32 and 64 on timing packages built for the run).
  for (const L of ['16', '32', '64'])
    await expect(lab.getByRole('checkbox', { name: L })).toBeChecked();
  await lab.getByLabel('Samples (trained)').fill('2');
  await lab.getByLabel('Samples (timing only)').fill('1');
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  await browser.startTracing(page, { categories: ['toplevel'] });
  await lab.getByRole('button', { name: 'Measure' }).click();
  // Polled cheaply: locator polling would itself be main-thread work.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="speed-results"]')?.getAttribute('data-status') ===
      'done',
    null,
    { polling: 500, timeout: 180_000 },
  );
  const tasks = mainThreadTasks(await browser.stopTracing());
  const longTasks = await page.evaluate(
    () => (window as unknown as { longTasks: number[] }).longTasks,
  );
  await expect(lab.locator('tr[data-trained="false"]')).not.toHaveCount(0);

  const cpuMs = tasks.map((t) => t.cpuMs);
  report('speed lab', cpuMs, longTasks);
  expect(Math.max(...cpuMs)).toBeLessThan(50);
  if (load() < os.cpus().length) expect(longTasks.filter((d) => d > 50)).toEqual([]);
  await context.close();
});

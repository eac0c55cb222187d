import fs from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { mainThreadTasks } from './mainThreadTasks';

/**
 * The training panel end to end (issue 6, items 3–6): train the tiny preset in the page's
 * worker, watch the loss fall, hand the weights to the Generate view, download them and open
 * them back, and resume from the IndexedDB checkpoint after a reload; the loss by masking ratio
 * and the samples painted with the generation view's strip. WebGPU here is
 * SwiftShader, a slow software adapter, so the shapes are tiny.
 */

const trainView = (page: Page) => page.getByRole('region', { name: 'Train' });
const status = (page: Page) => page.getByLabel('Training status');

/** Opens the page on the Train tab once the shipped model runs (inference on WASM). */
async function openTrain(page: Page, extra = '') {
  await page.goto(`/#ep=wasm&view=train&steps=8&seed=3&speed=60${extra}`);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute(
    'data-provider',
    'wasm',
    { timeout: 90_000 },
  );
  await expect(trainView(page)).toBeVisible();
}

async function setNumber(page: Page, label: string, value: string) {
  const field = trainView(page).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.blur();
}

async function configure(page: Page, backend: 'webgpu' | 'cpu', steps: number) {
  const view = trainView(page);
  await view.getByLabel('Size preset').selectOption('tiny');
  await view.getByLabel('Training backend').selectOption(backend);
  await setNumber(page, 'Steps', String(steps));
  await setNumber(page, 'Batch', '8');
  await setNumber(page, 'Learning rate', '0.01');
  await setNumber(page, 'Checkpoint every', '10');
  await setNumber(page, 'Samples every', '10');
}

const losses = async (page: Page, which: 'first' | 'last') =>
  (
    (await page.getByRole('img', { name: 'Training loss' }).getAttribute(`data-${which}-losses`)) ??
    ''
  )
    .split(' ')
    .filter(Boolean)
    .map(Number);

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

const sampleSentences = (page: Page) =>
  trainView(page).getByRole('list', { name: 'Sample sentences' });

/** The t-bucket chart counts `rows` training rows, and shows a finite loss in most buckets. */
async function expectRatioChart(page: Page, rows: number) {
  const chart = page.getByRole('img', { name: 'Loss by masking ratio' });
  await expect(chart).toHaveAttribute('data-rows', String(rows));
  await expect(chart).toHaveAttribute('data-buckets', '10');
  expect(Number(await chart.getAttribute('data-filled'))).toBeGreaterThanOrEqual(
    rows >= 200 ? 9 : 6,
  );
  const losses = ((await chart.getAttribute('data-losses')) ?? '')
    .split(' ')
    .filter(Boolean)
    .map(Number);
  expect(losses.every((x) => Number.isFinite(x) && x > 0)).toBe(true);
  expect(await chart.locator('rect.train-ratio-bar').count()).toBe(losses.length);
}

/**
 * A sample is painted with the generation view's strip and transport: it plays to the end on
 * its own; replayed slowly, it passes through frames where some positions are still masked and
 * some committed; picking another sample paints that one.
 */
async function expectAnimatedSample(page: Page) {
  const painting = trainView(page).getByRole('group', { name: 'Sample', exact: true });
  const cells = painting.getByTestId('token-cell');
  const frame = painting.getByLabel('Frame');
  await expect(cells).toHaveCount(16);
  await expect(frame).toHaveAttribute('data-frame', '16', { timeout: 30_000 });
  await expect(painting.getByLabel('Sample: text')).toHaveAttribute('data-done', 'true');
  await expect(painting.locator('[data-status="masked"], [data-status="discarded"]')).toHaveCount(
    0,
  );
  await painting.getByLabel('Speed').selectOption('4');
  await painting.getByRole('button', { name: 'Replay' }).click();
  const frameNow = async () => Number(await frame.getAttribute('data-frame'));
  await expect.poll(frameNow).toBeGreaterThan(0);
  const middle = await frameNow();
  expect(middle).toBeLessThan(16);
  expect(
    await painting.locator('[data-status="masked"], [data-status="discarded"]').count(),
  ).toBeGreaterThan(0);
  await expect(frame).toHaveAttribute('data-frame', '16', { timeout: 30_000 });
  // Another sample: it is the one shown, painted again from the start.
  const second = sampleSentences(page).getByRole('button').nth(1);
  await second.click();
  await expect(second).toHaveAttribute('aria-pressed', 'true');
  expect(await frameNow()).toBeLessThan(16);
  await expect(frame).toHaveAttribute('data-frame', '16', { timeout: 30_000 });
}

test('trains the tiny preset on WebGPU, hands it to Generate, and after a reload offers the finished model and trains on', async ({
  page,
}) => {
  test.setTimeout(300_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openTrain(page);
  await configure(page, 'webgpu', 30);
  await trainView(page).getByRole('button', { name: 'Start training' }).click();
  await expect(status(page)).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await expect(status(page)).toHaveAttribute('data-status', 'finished', { timeout: 180_000 });
  await expect(status(page)).toHaveAttribute('data-step', '30');
  await expect(page.getByRole('img', { name: 'Training loss' })).toHaveAttribute(
    'data-points',
    '30',
  );
  const first = await losses(page, 'first');
  const last = await losses(page, 'last');
  expect(first).toHaveLength(5);
  expect(last).toHaveLength(5);
  expect(mean(last)).toBeLessThan(mean(first));
  // The loss by masking ratio: every row of the 30 batches of 8 landed in a bucket.
  await expectRatioChart(page, 30 * 8);
  // Samples from the current weights, each judged by the grammar, one painted call by call.
  await expect(trainView(page).getByRole('region', { name: 'Samples' })).toContainText('step 30');
  await expect(sampleSentences(page).getByRole('listitem')).toHaveCount(4);
  await expectAnimatedSample(page);

  // Hand-off: the Generate view runs the new model.
  await trainView(page).getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByLabel('Model status')).toContainText(
    'Trained in this page (tiny, 30 steps)',
    { timeout: 60_000 },
  );
  await expect(page.getByRole('combobox', { name: 'Model', exact: true })).toContainText(
    'trained in this page',
  );
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Generate' })
    .click();
  const generate = page.getByRole('region', { name: 'Generate' });
  await generate.getByRole('button', { name: 'Generate', exact: true }).click();
  await expect(generate.getByLabel('Result')).toHaveAttribute('data-done', 'true', {
    timeout: 90_000,
  });

  // Reload: the finished run in IndexedDB offers its model, not a resume; training goes on from
  // step 30 only once Steps is raised.
  await page
    .getByRole('navigation', { name: 'Views' })
    .getByRole('button', { name: 'Train' })
    .click();
  await page.reload();
  const finished = trainView(page).getByRole('status', { name: 'A finished run' });
  await expect(finished).toContainText('30 steps', { timeout: 60_000 });
  await expect(trainView(page).getByRole('button', { name: 'Resume training' })).toHaveCount(0);
  await expect(finished).toContainText('Raise Steps above 30 to train it further');
  await finished.getByRole('button', { name: 'Use this model' }).click();
  await expect(page.getByLabel('Model status')).toContainText(
    'Trained in this page (tiny, 30 steps)',
    { timeout: 60_000 },
  );
  await setNumber(page, 'Steps', '40');
  await finished.getByRole('button', { name: 'Train on to step 40' }).click();
  await expect(status(page)).toHaveAttribute('data-status', /running|finished/, {
    timeout: 60_000,
  });
  expect(Number(await status(page).getAttribute('data-step'))).toBeGreaterThanOrEqual(30);
  await expect(status(page)).toHaveAttribute('data-status', 'finished', { timeout: 120_000 });
  await expect(status(page)).toHaveAttribute('data-step', '40');
  await expect(page.getByRole('img', { name: 'Training loss' })).toHaveAttribute(
    'data-points',
    '40',
  );
  // The history before the reload is kept: its first losses are the same.
  expect(await losses(page, 'first')).toEqual(first);
  expect(errors).toEqual([]);
});

test('trains on the CPU reference, and the download opens back as your own model', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openTrain(page);
  await configure(page, 'cpu', 10);
  await trainView(page).getByRole('button', { name: 'Start training' }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await expect(status(page)).toHaveAttribute('data-backend', 'cpu');
  await expect(trainView(page)).toContainText('CPU reference (chosen)');
  // Data-parallel over the cores (src/train/gradientShards.ts), where the page can share memory.
  const { cores, isolated } = await page.evaluate(() => ({
    cores: navigator.hardwareConcurrency,
    isolated: crossOriginIsolated,
  }));
  const threads = isolated ? Math.min(4, cores, 8) : 1;
  if (threads > 1) {
    await expect(trainView(page)).toContainText(`CPU reference (chosen) · ${threads} threads`);
  }
  await expectRatioChart(page, 10 * 8);

  const downloads: Record<string, string> = {};
  page.on('download', (d) => {
    void d.path().then((p) => (downloads[d.suggestedFilename()] = p));
  });
  await trainView(page).getByRole('button', { name: 'Download' }).click();
  await expect
    .poll(() => Object.keys(downloads).sort(), { timeout: 30_000 })
    .toEqual(['trained-toy-sentences-tiny-10.manifest.json', 'trained-toy-sentences-tiny-10.onnx']);
  const manifestFile = downloads['trained-toy-sentences-tiny-10.manifest.json'];
  const onnxFile = downloads['trained-toy-sentences-tiny-10.onnx'];
  const manifest = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as {
    id: string;
    onnx: string;
    training: Record<string, unknown>;
  };
  // Named after the model, and the manifest names its own .onnx.
  expect(manifest.id).toBe('trained-toy-sentences-tiny-10');
  expect(manifest.onnx).toBe('trained-toy-sentences-tiny-10.onnx');
  expect(manifest.training).toMatchObject({ steps: 10, batch: 8, backend: 'cpu' });

  const section = page.locator('details', { hasText: 'Open your own model' });
  if (!(await section.evaluate((d) => (d as HTMLDetailsElement).open))) {
    await section.locator('summary').click();
  }
  await page.getByLabel('ONNX file').setInputFiles(onnxFile);
  await page.getByLabel('Manifest file').setInputFiles(manifestFile);
  await page.getByRole('button', { name: 'Open package' }).click();
  await expect(page.getByLabel('Model status')).toContainText(
    'Trained in this page (tiny, 10 steps)',
    { timeout: 60_000 },
  );
  expect(errors).toEqual([]);
});

test('a lost GPU device pauses training, and Resume continues from the last checkpoint on a new device', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await openTrain(page, '&faults=1');
  // Many steps, so a fast machine cannot finish before the device is taken away.
  await configure(page, 'webgpu', 5000);
  await trainView(page).getByRole('button', { name: 'Start training' }).click();
  await expect(status(page)).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  const stepNow = async () => Number(await status(page).getAttribute('data-step'));
  // Past the checkpoint at step 10, then the device goes.
  await expect.poll(stepNow, { timeout: 120_000 }).toBeGreaterThan(12);
  await trainView(page).getByRole('button', { name: 'Simulate a lost GPU device' }).click();
  await expect(trainView(page).getByRole('alert')).toContainText('The GPU device was lost');
  await expect(status(page)).toHaveAttribute('data-status', 'paused');
  const lostAt = await stepNow();
  await trainView(page).getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(status(page)).toHaveAttribute('data-status', /running|finished/);
  await expect(status(page)).toHaveAttribute('data-backend', 'webgpu');
  // It trains on past the point where the device was lost, on a new device.
  await expect.poll(stepNow, { timeout: 180_000 }).toBeGreaterThan(lostAt + 5);
  await trainView(page).getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'paused');
  // The steps after the checkpoint were redone, not counted twice: one loss per step.
  const step = await status(page).getAttribute('data-step');
  await expect(page.getByRole('img', { name: 'Training loss' })).toHaveAttribute(
    'data-points',
    step!,
  );
  expect(errors).toEqual([]);
});

test('no main-thread task of 50 ms of CPU while the default recipe trains and its samples arrive', async ({
  page,
  browser,
}) => {
  test.setTimeout(180_000);
  await openTrain(page);
  // The default size and batch on the CPU reference (the backend a machine without a GPU
  // gets), short, with samples often: every report, chart and sample painting lands here.
  await trainView(page).getByLabel('Training backend').selectOption('cpu');
  await setNumber(page, 'Steps', '300');
  await setNumber(page, 'Samples every', '25');
  await browser.startTracing(page, { categories: ['toplevel'] });
  await trainView(page).getByRole('button', { name: 'Start training' }).click();
  // Polled cheaply: locator polling would itself be main-thread work.
  await page.waitForFunction(
    () =>
      document
        .querySelector('output[aria-label="Training status"]')
        ?.getAttribute('data-status') === 'finished',
    null,
    { polling: 500, timeout: 150_000 },
  );
  const cpuMs = mainThreadTasks(await browser.stopTracing()).map((t) => t.cpuMs);
  const points = await page
    .getByRole('img', { name: 'Grammatical samples' })
    .getAttribute('data-points');
  test.info().annotations.push({
    type: 'main thread',
    description: `${cpuMs.length} tasks, largest ${Math.max(...cpuMs).toFixed(1)} ms CPU; ${points} sample sets`,
  });
  expect(Number(points)).toBeGreaterThanOrEqual(4);
  expect(cpuMs.length).toBeGreaterThan(50);
  expect(Math.max(...cpuMs)).toBeLessThan(50);
});

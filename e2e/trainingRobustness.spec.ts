import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, expect, test, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from './browserLaunch';

/**
 * Training that survives people (issue 13): two tabs never overwrite each other's run and each
 * says what the other is doing; a diverged run stops on a non-finite loss, goes back to its last
 * good checkpoint and is rescued with a lower learning rate, before and after a reload; Reset
 * asks first; settings are checked as typed against this machine's limits; a browser closed
 * while checkpoints are being written leaves a whole checkpoint that a reload resumes. The CPU
 * reference keeps it quick; the shapes are tiny.
 */

const trainView = (page: Page) => page.getByRole('region', { name: 'Train' });
const status = (page: Page) => page.getByLabel('Training status');
const stepOf = async (page: Page) => Number(await status(page).getAttribute('data-step'));

async function openTrain(page: Page, base = '') {
  await page.goto(`${base}/#ep=wasm&view=train`);
  await expect(page.getByLabel('Backend', { exact: true })).toHaveAttribute(
    'data-provider',
    'wasm',
    {
      timeout: 90_000,
    },
  );
  await expect(trainView(page)).toBeVisible();
}

async function setNumber(page: Page, label: string, value: string) {
  const field = trainView(page).getByLabel(label, { exact: true });
  await field.fill(value);
  await field.blur();
}

async function configure(page: Page, steps: number, checkpointEvery = 10) {
  const view = trainView(page);
  await view.getByLabel('Size preset').selectOption('tiny');
  await view.getByLabel('Training backend').selectOption('cpu');
  await setNumber(page, 'Steps', String(steps));
  await setNumber(page, 'Batch', '8');
  await setNumber(page, 'Learning rate', '0.01');
  await setNumber(page, 'Checkpoint every', String(checkpointEvery));
  await setNumber(page, 'Samples every', '100000');
}

const start = (page: Page) =>
  trainView(page).getByRole('button', { name: 'Start training' }).click();
const pause = async (page: Page) => {
  await trainView(page).getByRole('button', { name: 'Pause', exact: true }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'paused', { timeout: 60_000 });
};
const points = async (page: Page) =>
  Number(await page.getByRole('img', { name: 'Training loss' }).getAttribute('data-points'));
/**
 * The loss history covers every step up to `step`, once: a point per step up to 4,096 steps,
 * then means over 2, 4, … steps (src/train/lossHistory.ts), between 2,049 and 4,096 points.
 */
const expectWholeHistory = async (page: Page, step: number) => {
  const chart = page.getByRole('img', { name: 'Training loss' });
  expect(Number(await chart.getAttribute('data-steps-covered'))).toBe(step);
  const n = await points(page);
  if (step <= 4096) expect(n).toBe(step);
  else expect(n).toBeGreaterThan(2048);
  expect(n).toBeLessThanOrEqual(4096);
};

test('two tabs train two runs: neither overwrites the other, and each says the other is running', async ({
  context,
}) => {
  test.setTimeout(300_000);
  const a = await context.newPage();
  const b = await context.newPage();
  const errors: string[] = [];
  for (const p of [a, b]) p.on('pageerror', (e) => errors.push(e.message));
  await openTrain(a);
  // A checkpoint every 100 steps: the tiny model runs thousands of steps a second here, and every
  // checkpoint writes the weights and the loss history (when it kept every step, every 10 steps
  // buried both tabs in IndexedDB writes: a reload then took minutes under load). Pause writes
  // one at the step it stops on.
  await configure(a, 100_000, 100);
  await start(a);
  await expect.poll(() => stepOf(a), { timeout: 60_000 }).toBeGreaterThan(12);

  // Tab B is told, and offers nothing of A's to resume.
  await openTrain(b);
  const elsewhere = trainView(b).getByRole('status', { name: 'Run in another tab' });
  await expect(elsewhere).toContainText('A training run is going on in another tab');
  await expect(trainView(b).getByRole('button', { name: 'Resume training' })).toHaveCount(0);
  // Its own run is a run of its own.
  await configure(b, 100_000, 100);
  await setNumber(b, 'Learning rate', '0.005');
  await start(b);
  await expect.poll(() => stepOf(b), { timeout: 60_000 }).toBeGreaterThan(12);
  // A's news reaches B while both train.
  await expect
    .poll(async () => Number(/step (\d+)/.exec((await elsewhere.textContent()) ?? '')?.[1] ?? 0), {
      timeout: 30_000,
    })
    .toBeGreaterThan(12);

  await pause(a);
  const stepA = await stepOf(a);
  // A reload of A offers A's own run at the step it paused at, and says B's is running.
  await a.reload();
  // B learns at once that A let its run go (the lock was released)…
  await expect(elsewhere).toHaveCount(0, { timeout: 30_000 });
  const offer = trainView(a)
    .getByRole('status')
    .filter({ hasText: 'A checkpoint of an earlier run' });
  await expect(offer).toContainText(`step ${stepA} of 100000`, { timeout: 60_000 });
  await expect(trainView(a).getByRole('status', { name: 'Run in another tab' })).toHaveCount(1);
  await expect(trainView(a).getByLabel('Learning rate', { exact: true })).toHaveValue('0.01');
  await trainView(a).getByRole('button', { name: 'Resume training' }).click();
  await expect.poll(() => stepOf(a), { timeout: 60_000 }).toBeGreaterThan(stepA);
  // …and that it is running again once A resumed it.
  await expect(elsewhere).toHaveCount(1, { timeout: 30_000 });
  // The history before the reload is A's own: every step, once (thinned past 4,096 steps).
  await pause(a);
  await expectWholeHistory(a, await stepOf(a));

  // B's run went on untouched, and is B's own when B reloads.
  await pause(b);
  const stepB = await stepOf(b);
  await b.reload();
  const offerB = trainView(b)
    .getByRole('status')
    .filter({ hasText: 'A checkpoint of an earlier run' });
  await expect(offerB).toContainText(`step ${stepB} of 100000`, { timeout: 60_000 });
  await expect(trainView(b).getByLabel('Learning rate', { exact: true })).toHaveValue('0.005');
  expect(errors).toEqual([]);
});

test('a diverged run goes back to its last good checkpoint and is rescued with a lower learning rate, before and after a reload; Reset asks first', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await openTrain(page);
  await configure(page, 40, 2);
  // Weight decay at this rate multiplies every matrix by −1e5 a step: float32 overflows.
  await setNumber(page, 'Learning rate', '1000000');
  await start(page);
  const alert = trainView(page).getByRole('alert');
  await expect(alert).toContainText('Try a lower learning rate', { timeout: 60_000 });
  await expect(alert).toContainText('went back to the last good checkpoint');
  await expect(status(page)).toHaveAttribute('data-status', 'paused');
  const rolledBackTo = await stepOf(page);
  // It went back to a checkpoint (one every 2 steps), short of the end.
  expect(rolledBackTo % 2).toBe(0);
  expect(rolledBackTo).toBeLessThan(40);
  // Every loss kept is finite: the history went back with the weights.
  await expect(page.getByRole('img', { name: 'Training loss' })).toHaveAttribute(
    'data-points',
    String(rolledBackTo),
  );
  // While paused, the learning rate can change; what defines the run cannot.
  const view = trainView(page);
  await expect(view.getByLabel('Learning rate', { exact: true })).toBeEnabled();
  await expect(view.getByLabel('Batch', { exact: true })).toBeDisabled();
  await expect(view.getByLabel('Size preset')).toBeDisabled();
  await setNumber(page, 'Learning rate', '0.01');
  // Resume is offered: the click waits for it to be visible.
  await view.getByRole('button', { name: 'Resume', exact: true }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await expect(status(page)).toHaveAttribute('data-step', '40');
  expect(await points(page)).toBe(40);

  // Reset asks first; keeping it loses nothing.
  await view.getByRole('button', { name: 'Reset' }).click();
  await expect(view.getByRole('group', { name: 'Reset?' })).toContainText(
    'Discard this run and its checkpoint (step 40)?',
  );
  await view.getByRole('button', { name: 'Keep it' }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'finished');
  await view.getByRole('button', { name: 'Reset' }).click();
  await view.getByRole('button', { name: 'Discard', exact: true }).click();
  await expect(status(page)).toHaveAttribute('data-status', 'idle');

  // Diverge again, then reload: the stored run's rate shows, a lower one is used on resume…
  await setNumber(page, 'Learning rate', '1000000');
  await start(page);
  await expect(alert).toContainText('Try a lower learning rate', { timeout: 60_000 });
  const at = await stepOf(page);
  await page.reload();
  const resume = trainView(page).getByRole('button', { name: 'Resume training' });
  await expect(resume).toBeVisible({ timeout: 60_000 });
  await expect(trainView(page).getByLabel('Learning rate', { exact: true })).toHaveValue('1000000');
  await setNumber(page, 'Learning rate', '0.01');
  await resume.click();
  await expect(status(page)).toHaveAttribute('data-status', 'finished', { timeout: 60_000 });
  await expect(status(page)).toHaveAttribute('data-step', '40');
  expect(await points(page)).toBe(40);
  expect(at).toBeLessThan(40);
  // …and kept: the checkpoint it wrote has the new rate. The run is finished, so the reload
  // offers its model, not a resume.
  await page.reload();
  await expect(trainView(page).getByRole('status', { name: 'A finished run' })).toContainText(
    '40 steps',
    { timeout: 60_000 },
  );
  await expect(trainView(page).getByRole('button', { name: 'Resume training' })).toHaveCount(0);
  await expect(trainView(page).getByLabel('Learning rate', { exact: true })).toHaveValue('0.01');
});

test('settings are checked as typed: every problem at once, named by field, the batch bounded by this machine', async ({
  page,
}) => {
  await openTrain(page);
  const view = trainView(page);
  await view.getByLabel('Training backend').selectOption('cpu');
  await setNumber(page, 'Batch', '1000000');
  await setNumber(page, 'Learning rate', '-1');
  await setNumber(page, 'Checkpoint every', '0');
  const problems = view.getByRole('status', { name: 'Training settings problems' });
  await expect(problems.getByRole('listitem')).toHaveCount(3);
  await expect(problems.getByRole('listitem').nth(0)).toHaveText(
    'Learning rate: must be a number above 0, not -1.',
  );
  await expect(problems.getByRole('listitem').nth(1)).toHaveText(
    'Checkpoint every: must be a whole number of at least 1, not 0.',
  );
  await expect(problems.getByRole('listitem').nth(2)).toHaveText(
    /^Batch 1,000,000 is too large here: one step's buffers take [\d.]+ GB in all, more than [\d.]+ GB \(.+\)\. At most [\d,]+ fits\.$/,
  );
  await expect(view.getByLabel('Batch', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(view.getByRole('button', { name: 'Start training' })).toBeDisabled();
  // On WebGPU the device's per-buffer limit is named too.
  await view.getByLabel('Training backend').selectOption('webgpu');
  await expect(problems.getByRole('listitem').nth(2)).toContainText('allows at most');
  await expect(problems.getByRole('listitem').nth(2)).toContainText(
    '(maxStorageBufferBindingSize)',
  );
  await setNumber(page, 'Batch', '8');
  await setNumber(page, 'Learning rate', '0.01');
  await setNumber(page, 'Checkpoint every', '10');
  await expect(problems).toHaveCount(0);
  await expect(view.getByRole('button', { name: 'Start training' })).toBeEnabled();
});

test('a browser closed while checkpoints are written leaves a whole checkpoint that a reload resumes', async ({
  baseURL,
}) => {
  test.setTimeout(240_000);
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-profile-'));
  const launch = () =>
    chromium.launchPersistentContext(profile, { ...chromiumLaunchOptions(), baseURL });
  try {
    let context = await launch();
    let page = context.pages()[0] ?? (await context.newPage());
    await openTrain(page);
    // A checkpoint at every step, of the largest preset: the worker is writing most of the time.
    await configure(page, 100_000, 1);
    await trainView(page).getByLabel('Size preset').selectOption('small');
    await start(page);
    await expect.poll(() => stepOf(page), { timeout: 90_000 }).toBeGreaterThan(25);
    const seen = await stepOf(page);
    // The whole browser goes, mid-run and most likely mid-write.
    await context.close();

    context = await launch();
    page = context.pages()[0] ?? (await context.newPage());
    await openTrain(page);
    const offer = trainView(page)
      .getByRole('status')
      .filter({ hasText: 'A checkpoint of an earlier run' });
    await expect(offer).toBeVisible({ timeout: 60_000 });
    const offered = Number(/step (\d+) of/.exec((await offer.textContent()) ?? '')?.[1]);
    expect(offered).toBeGreaterThan(0);
    expect(offered).toBeGreaterThanOrEqual(seen - 1);
    await expect(trainView(page).getByRole('note', { name: 'Unreadable runs' })).toHaveCount(0);
    // One run, one record: nothing half-written was left behind.
    const counts = await page.evaluate(
      () =>
        new Promise<number[]>((resolve, reject) => {
          const open = indexedDB.open('unmask-training');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction(['checkpoints', 'runs']);
            const c = tx.objectStore('checkpoints').count();
            const r = tx.objectStore('runs').count();
            tx.oncomplete = () => {
              resolve([c.result, r.result]);
              open.result.close();
            };
          };
        }),
    );
    expect(counts).toEqual([1, 1]);
    await trainView(page).getByRole('button', { name: 'Resume training' }).click();
    await expect.poll(() => stepOf(page), { timeout: 60_000 }).toBeGreaterThan(offered + 3);
    await pause(page);
    // The resumed run's history is whole: one loss per step, from the checkpoint on.
    await expectWholeHistory(page, await stepOf(page));

    // A run whose record is gone (what a torn write would leave) is named, never offered.
    await page.evaluate(
      () =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('unmask-training');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('runs', 'readwrite');
            tx.objectStore('runs').put(
              {
                runId: 'torn',
                checkpointKey: 'torn/9/x',
                step: 9,
                steps: 100,
                preset: 'tiny',
                corpus: 'toy-sentences',
                backend: 'cpu',
                savedAt: Date.now() + 1000,
              },
              'torn',
            );
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
          };
        }),
    );
    await page.reload();
    await expect(trainView(page).getByRole('note', { name: 'Unreadable runs' })).toContainText(
      'its checkpoint record is missing',
      { timeout: 60_000 },
    );
    await expect(trainView(page).getByRole('button', { name: /^Resume/ })).toHaveCount(1);
    await context.close();
  } finally {
    fs.rmSync(profile, { recursive: true, force: true });
  }
});

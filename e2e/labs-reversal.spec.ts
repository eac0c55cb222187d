import { expect, test } from '@playwright/test';
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { readModelPackage } from '../bench/nodeModelPackage';
import { BUILT_IN_COUPLETS, parseCouplets, type Couplet } from '../src/core/corpus';
import { evaluateReversal, samplerOver } from '../src/core/evaluation/reversalEvaluation';
import { coupletModelInfo } from '../src/model/coupletModel';
import { OrtModel } from '../src/runtime/ortModel';

/**
 * The reversal lab end to end, with tiny settings: the page measures the four accuracies on the
 * first couplets and they equal what src/core computes in Node on the same packages (greedy, so
 * no seed; onnxruntime-web's WASM build on both sides); a bad couplet file is refused in words
 * and changes nothing, a good one is used (with the shipped pair that knows its characters);
 * any answer replays in the drill-down.
 */

const N = 3;
const OURS = ['models/couplets', 'models/couplets-ar'];
const LLADA_PAIR = ['models/couplets-llada', 'models/couplets-llada-ar'];
const LLADA_FILE = fileURLToPath(
  new URL('../../shared/data/llada-poem-couplets.json', import.meta.url),
);

async function nodeCounts(couplets: readonly Couplet[], dirs = OURS) {
  ort.env.wasm.numThreads = 1;
  const packages = dirs.map(readModelPackage);
  const sessions = await Promise.all(
    packages.map((p) => OrtModel.create(ort, p.onnx, p.manifest, 'wasm')),
  );
  try {
    const result = await evaluateReversal(
      couplets,
      sessions.map((s, i) => ({
        ...coupletModelInfo(packages[i].manifest),
        sample: samplerOver(s),
      })),
    );
    return result.scores.map((s) => s.correct);
  } finally {
    await Promise.all(sessions.map((s) => s.release()));
  }
}

test('measures forward and reversal for both models, and replays any answer', async ({ page }) => {
  await page.goto('/#ep=wasm&view=labs');
  const lab = page.getByRole('region', { name: 'Reversal', exact: true });
  await expect(lab.getByTestId('reversal-pair')).toHaveAttribute('data-status', 'ready', {
    timeout: 90_000,
  });
  await expect(lab.getByTestId('reversal-data')).toHaveAttribute(
    'data-count',
    String(BUILT_IN_COUPLETS.length),
  );
  // The paper's figures are there before any measurement.
  const table = lab.getByTestId('reversal-table');
  await expect(table.locator('tr[data-paper="LLaDA 8B Instruct (paper)"]')).toContainText('48.8%');
  await expect(table.locator('tr[data-paper="GPT-4o (paper)"]')).toContainText('34.3%');

  // On arrival the built-in couplets are measured without a click: the figure shows the curse.
  await expect(lab.getByTestId('reversal-results')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  await expect(
    table.locator('tr[data-kind="masked-diffusion"] td[data-direction="reversal"]'),
  ).toHaveAttribute('data-n', String(BUILT_IN_COUPLETS.length));

  await lab.getByLabel('Test the first N').fill(String(N));
  await lab.getByRole('button', { name: 'Measure' }).click();
  await expect(lab.getByTestId('reversal-results')).toHaveAttribute('data-status', 'done', {
    timeout: 60_000,
  });
  const cell = (kind: string, direction: string) =>
    table.locator(`tr[data-kind="${kind}"] td[data-direction="${direction}"]`);
  const counts: number[] = [];
  for (const kind of ['masked-diffusion', 'autoregressive']) {
    for (const direction of ['forward', 'reversal']) {
      await expect(cell(kind, direction)).toHaveAttribute('data-n', String(N));
      const text = (await cell(kind, direction).textContent()) ?? '';
      const m = /\((\d+)\/3\)/.exec(text);
      expect(m, text).not.toBeNull();
      counts.push(Number(m![1]));
    }
  }
  expect(counts).toEqual(await nodeCounts(BUILT_IN_COUPLETS.slice(0, N)));
  await expect(lab.getByTestId('reversal-examples').locator('tbody tr')).toHaveCount(N);

  // Drill-down: the twin's reversal of couplet 1, call by call.
  await lab.getByRole('button', { name: /couplet 1, autoregressive twin, reversal/ }).click();
  const drill = lab.getByTestId('reversal-drill');
  await expect(drill).toHaveAttribute('data-status', 'done', { timeout: 30_000 });
  await expect(drill).toContainText(`Given ${BUILT_IN_COUPLETS[0].second}`);
  const strip = drill.getByRole('list', { name: 'Drill-down: tokens' });
  await expect(strip.getByTestId('token-cell')).toHaveCount(24);
  const player = drill.getByRole('toolbar', { name: 'Drill-down: playback' });
  // Step back pauses the clock wherever it is; then back to the start on the timeline.
  await player.getByRole('button', { name: 'Step back' }).click();
  await player.getByLabel('Timeline').fill('0');
  await expect(player.getByLabel('Frame')).toHaveAttribute('data-frame', '0');
  await player.getByRole('button', { name: 'Step forward' }).click();
  await expect(player.getByLabel('Frame')).toHaveAttribute('data-frame', '1');
  // The twin writes left to right: after one call exactly one position after the prompt is new.
  await expect(strip.locator('[data-status="new"]')).toHaveCount(1);

  // A bad file is refused with every problem, and the couplets in use stay.
  const input = lab.getByLabel('Couplet file');
  await input.setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify([{ first: 'moon on ice' }, 'x'])),
  });
  const problem = lab.getByTestId('reversal-file-problem');
  await expect(problem).toContainText('bad.json was not loaded');
  await expect(problem).toContainText('entry 1: "second" must be a string, got missing');
  await expect(problem).toContainText('entry 2: expected an object');
  await expect(lab.getByTestId('reversal-data')).toHaveAttribute(
    'data-count',
    String(BUILT_IN_COUPLETS.length),
  );

  // A good file is used; a character the models never saw is left out and said so.
  await input.setInputFiles({
    name: 'mine.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify([BUILT_IN_COUPLETS[1], { first: 'Ω!', second: 'zz' }, BUILT_IN_COUPLETS[2]]),
    ),
  });
  await expect(problem).toHaveCount(0);
  await expect(lab.getByTestId('reversal-data')).toHaveAttribute('data-count', '3');
  await lab.getByLabel('Test the first N').fill('');
  await lab.getByRole('button', { name: 'Measure' }).click();
  const results = lab.getByTestId('reversal-results');
  await expect(results).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(results).toContainText('mine.json');
  await expect(results).toContainText('left out (e.g. couplet 2: the model never saw');
  await expect(cell('masked-diffusion', 'forward')).toHaveAttribute('data-n', '2');

  // The LLaDA authors' couplets: the lab switches to the pair that knows their characters.
  await input.setInputFiles(LLADA_FILE);
  await expect(lab.getByTestId('reversal-data')).toHaveAttribute('data-count', '469');
  await lab.getByLabel('Test the first N').fill('2');
  await expect(lab.getByTestId('reversal-pair')).toContainText('couplets-llada', {
    timeout: 90_000,
  });
  await lab.getByRole('button', { name: 'Measure' }).click();
  await expect(results).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(cell('autoregressive', 'reversal')).toHaveAttribute('data-n', '2');
  const llada = parseCouplets(fs.readFileSync(LLADA_FILE, 'utf8'));
  if (!llada.ok) throw new Error(llada.errors.join('\n'));
  const pageCounts: number[] = [];
  for (const kind of ['masked-diffusion', 'autoregressive']) {
    for (const direction of ['forward', 'reversal']) {
      const text = (await cell(kind, direction).textContent()) ?? '';
      pageCounts.push(Number(/\((\d+)\/2\)/.exec(text)![1]));
    }
  }
  expect(pageCounts).toEqual(await nodeCounts(llada.couplets.slice(0, 2), LLADA_PAIR));
});

import { expect, test } from '@playwright/test';
import * as ort from 'onnxruntime-web';
import { readModelPackage } from '../bench/nodeModelPackage';
import { wordsToWindow } from '../src/core/corpus';
import { autoregressiveNll } from '../src/core/likelihood/autoregressiveNll';
import {
  estimateNegativeElbo,
  type NegativeElboEstimate,
} from '../src/core/likelihood/negativeElbo';
import { conditionalOnFirstToken } from '../src/core/likelihood/scoredSpan';
import { Rng } from '../src/core/rng';
import { packageCorpus } from '../src/model/packageCorpus';
import { OrtModel } from '../src/runtime/ortModel';
import { LAB_MODELS, openLabs, showLab } from './labsPage';

/**
 * The likelihood lab end to end, with tiny settings: a typo is caught and fixed from the
 * suggestions, the sentence is scored, and the page's numbers equal what src/core computes in
 * Node on the same packages and seed (onnxruntime-web's WASM build on both sides).
 */

async function nodeFigures(sentence: string, samples: number, rowsPerCall: number, seed: number) {
  ort.env.wasm.numThreads = 1;
  const d = readModelPackage(LAB_MODELS.diffusion);
  const a = readModelPackage(LAB_MODELS.autoregressive);
  const corpus = packageCorpus(d.manifest)!;
  const window = wordsToWindow(sentence.split(' '), corpus.vocab, d.manifest.seqLen);
  const span = conditionalOnFirstToken(d.manifest.seqLen);
  const diffusion = await OrtModel.create(ort, d.onnx, d.manifest, 'wasm');
  const twin = await OrtModel.create(ort, a.onnx, a.manifest, 'wasm');
  try {
    const ar = await autoregressiveNll(twin, window, span);
    const run = estimateNegativeElbo(
      diffusion,
      window,
      span,
      { form: 'llada', samples, rowsPerCall, timeInput: true },
      new Rng(seed),
    );
    let elbo: NegativeElboEstimate;
    for (;;) {
      const next = await run.next();
      if (next.done) {
        elbo = next.value;
        break;
      }
    }
    return { ar, elbo };
  } finally {
    await diffusion.release();
    await twin.release();
  }
}

test('scores a typed sentence: the bound with its error bar beside the exact twin', async ({
  page,
}) => {
  await openLabs(page);
  await showLab(page, 'Likelihood');
  const lab = page.getByRole('region', { name: 'Likelihood' });
  await lab.getByLabel('Sentence to score').fill('the cat sat on the matt');
  const unknown = lab.getByRole('list', { name: 'Unknown words' });
  await expect(unknown).toContainText('matt');
  await expect(lab.getByRole('button', { name: 'Score the sentence' })).toBeDisabled();
  await unknown.getByRole('button', { name: 'Use ‘mat’ for ‘matt’' }).click();
  await expect(lab.getByLabel('Sentence to score')).toHaveValue('the cat sat on the mat');
  await expect(unknown).toHaveCount(0);

  // Bad settings are named and block the run; nothing is lost.
  await lab.getByLabel('Draws', { exact: true }).fill('0');
  await expect(
    lab.getByRole('alert').filter({ hasText: 'Draws must be a whole number' }),
  ).toBeVisible();
  await expect(lab.getByRole('button', { name: 'Score the sentence' })).toBeDisabled();
  await lab.getByLabel('Draws', { exact: true }).fill('48');
  await lab.getByLabel('Rows per model call').fill('16');
  await lab.getByLabel('Seed').fill('3');
  await lab.getByRole('button', { name: 'Score the sentence' }).click();

  const results = lab.getByTestId('likelihood-results');
  await expect(results).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(lab.getByTestId('likelihood-chart')).toHaveAttribute('data-points', '3');
  await expect(lab.getByTestId('likelihood-ar-line')).toBeVisible();
  const read = async (id: string) => Number(await lab.getByTestId(id).textContent());
  const shown = {
    mean: await read('elbo-mean'),
    se: await read('elbo-se'),
    ar: await read('ar-nll'),
  };

  const node = await nodeFigures('the cat sat on the mat', 48, 16, 3);
  // The page prints 4 significant digits (2 for the error).
  expect(shown.mean).toBeCloseTo(node.elbo.mean, 1);
  expect(Math.abs(shown.mean - node.elbo.mean) / node.elbo.mean).toBeLessThan(1e-3);
  expect(Math.abs(shown.se - node.elbo.standardError) / node.elbo.standardError).toBeLessThan(0.05);
  expect(Math.abs(shown.ar - node.ar.total) / node.ar.total).toBeLessThan(1e-3);
  expect(node.elbo.standardError).toBeGreaterThan(0);

  // The twin's per-token breakdown covers the 15 scored tokens.
  await lab.getByText('The twin’s −log p, token by token').click();
  await expect(lab.getByTestId('ar-per-token').locator('tr').first().locator('td')).toHaveCount(15);

  // A long run can be stopped: the estimate so far stays, marked as stopped.
  await lab.getByLabel('Draws', { exact: true }).fill('100000');
  await lab.getByRole('button', { name: 'Score the sentence' }).click();
  await expect(results).toHaveAttribute('data-status', 'running');
  await lab.getByRole('button', { name: 'Stop' }).click();
  await expect(results).toHaveAttribute('data-status', 'stopped');
  await expect(lab.getByRole('button', { name: 'Score the sentence' })).toBeEnabled();
});

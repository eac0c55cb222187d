import { expect, test } from '@playwright/test';
import * as ort from 'onnxruntime-web';
import { readModelPackage } from '../bench/nodeModelPackage';
import { runSamplerToEnd } from '../src/core/sampler';
import { Vocabulary } from '../src/core/vocabulary';
import { OrtModel } from '../src/runtime/ortModel';

/**
 * The typewriter in the generation view: opening the autoregressive twin gives the runs the
 * autoregressive strategy (and refuses a diffusion one in words), it needs a prompt, and it writes
 * one token per model call, stopping at [EOS] — the same sentence src/core writes in Node from
 * the same package, greedily.
 */

const TWIN = 'models/toy-sentences-ar';

async function nodeSentence(prompt: string[]) {
  ort.env.wasm.numThreads = 1;
  const pkg = readModelPackage(TWIN);
  const { mask, pad, eos } = pkg.manifest.special;
  const vocab = new Vocabulary(pkg.manifest.vocab, { special: { mask, pad: pad!, eos: eos! } });
  const model = await OrtModel.create(ort, pkg.onnx, pkg.manifest, 'wasm');
  try {
    const ids = Array.from(vocab.encode(prompt.join(' ')).ids);
    const trace = await runSamplerToEnd(
      model,
      { prompt: ids, genLength: pkg.manifest.seqLen - ids.length },
      { strategy: 'autoregressive', steps: 1, temperature: 0, eosId: eos!, timeInput: 'none' },
    );
    return { text: vocab.decode(trace.final), calls: trace.records.length };
  } finally {
    await model.release();
  }
}

test('the autoregressive twin writes left to right, one call per token, until [EOS]', async ({
  page,
}) => {
  await page.goto('/#ep=wasm&view=generate&model=toy-sentences-ar&temp=0');
  const view = page.getByRole('region', { name: 'Generate' });
  const strategy = view.getByLabel('Strategy', { exact: true });
  await expect(strategy).toHaveValue('autoregressive', { timeout: 90_000 });
  await expect(view.getByLabel('Steps', { exact: true })).toBeDisabled();
  const generate = view.getByRole('button', { name: 'Generate', exact: true });
  // No prompt: nothing predicts the first word.
  await expect(view).toContainText('Autoregressive decoding continues a prompt');
  await expect(generate).toBeDisabled();

  // A diffusion strategy on the twin is refused in words.
  await strategy.selectOption('article');
  await expect(view).toContainText('this is an autoregressive model');
  await strategy.selectOption('autoregressive');

  await view.getByLabel('Prompt').fill('the cat');
  await generate.click();
  const result = view.getByLabel('Result');
  await expect(result).toHaveAttribute('data-done', 'true', { timeout: 60_000 });
  const expected = await nodeSentence(['the', 'cat']);
  await expect(result).toHaveText(expected.text);
  // One call per word written plus the [EOS] (the tail after it is filled, not computed).
  const written = expected.text.split(' ').length - 2;
  expect(expected.calls).toBe(Math.min(written + 1, 14));
  await expect(view.locator('[data-calls]').first()).toHaveAttribute(
    'data-calls',
    String(expected.calls),
  );
  // Frame 1: exactly one position after the prompt is new, the one right after it.
  await view.getByLabel('Timeline').fill('1');
  const cells = page.getByRole('region', { name: 'Run A', exact: true }).getByTestId('token-cell');
  await expect(cells.and(page.locator('[data-status="new"]'))).toHaveCount(1);
  await expect(cells.nth(2)).toHaveAttribute('data-status', 'new');
});

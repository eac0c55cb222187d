import { init } from '@jax-js/jax';
import { beforeAll, describe, expect, it } from 'vitest';
import { getCorpus } from '../src/core/corpus';
import { Rng } from '../src/core/rng';
import { adamwStep, createAdamWState, DEFAULT_ADAMW, weightDecayMask } from '../src/model/adamw';
import { computeGradients, maskedDiffusionBatch, nextTokenBatch } from '../src/model/cpuTrainer';
import { initParameters } from '../src/model/init';
import { buildParameterLayout, type ParameterLayout } from '../src/model/parameterLayout';
import { randomParameters, tinyConfig } from '../src/model/testNetworks';
import { configForPreset } from '../src/train/trainingProtocol';
import { createJaxTrainer } from './jaxTrainer';

/**
 * The jax-js twin of the network must compute what the CPU reference computes, or the speed
 * comparison of `bench -- train` compares different work. The reference runs in float64 here;
 * jax-js in float32 on its wasm device (its compiled kernels; the page also runs webgpu).
 */
beforeAll(async () => {
  expect(await init('wasm')).toContain('wasm');
});

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

async function checkAgainstReference(
  layout: ParameterLayout,
  params64: Float64Array,
  batch: ReturnType<typeof maskedDiffusionBatch>,
) {
  const trainer = createJaxTrainer(layout, Float32Array.from(params64), 'wasm');
  try {
    const reference = computeGradients(layout, params64, batch);
    const loss = await trainer.loss(batch);
    expect(Math.abs(loss - reference.loss) / reference.loss).toBeLessThan(1e-5);
    const grads = await trainer.gradients(batch);
    expect(maxAbsDiff(grads, reference.grads)).toBeLessThan(1e-4 * maxAbs(reference.grads));
    // The parameters are intact after those calls (nothing consumed twice or freed early).
    expect(maxAbsDiff(await trainer.readParams(), params64)).toBeLessThan(1e-7);

    // One AdamW step (with clipping active: the norm of these gradients is above 0.5).
    const lr = 1e-2;
    const optimizer = { ...DEFAULT_ADAMW, maxGradNorm: 0.5 };
    const state = createAdamWState(layout.total);
    const updated = params64.slice();
    const r = adamwStep(updated, reference.grads, state, weightDecayMask(layout), {
      ...optimizer,
      lr,
    });
    expect(r.clipScale).toBeLessThan(1);
    const clipped = createJaxTrainer(layout, Float32Array.from(params64), 'wasm', { optimizer });
    try {
      const stepLoss = clipped.step(batch, lr);
      expect(Math.abs((await stepLoss.data())[0] - reference.loss)).toBeLessThan(
        1e-5 * reference.loss,
      );
      const after = await clipped.readParams();
      // As for the TensorFlow.js twin: where the true gradient is zero (the key bias) float32
      // noise still moves an element by up to lr; elsewhere the updates agree to 1e-3·lr.
      const floor = 1e-5 * maxAbs(reference.grads);
      let worstReal = 0;
      for (let i = 0; i < after.length; i++) {
        const diff = Math.abs(after[i] - updated[i]);
        if (Math.abs(reference.grads[i]) > floor) worstReal = Math.max(worstReal, diff);
        else expect(diff).toBeLessThanOrEqual(1.01 * lr);
      }
      expect(worstReal).toBeLessThan(1e-3 * lr);
    } finally {
      clipped.dispose();
    }
  } finally {
    trainer.dispose();
  }
}

describe('the jax-js twin of the network', () => {
  const corpus = getCorpus('toy-sentences');

  it('matches the CPU reference on the toy preset: loss, gradients, one clipped AdamW step', async () => {
    const layout = buildParameterLayout(configForPreset('toy', corpus.vocab.size, corpus.seqLen));
    await checkAgainstReference(
      layout,
      initParameters(layout, 1, (n) => new Float64Array(n)),
      maskedDiffusionBatch(corpus.sampleBatch(new Rng(4), 3), 3, corpus.seqLen, {
        maskId: corpus.vocab.maskId,
        rng: new Rng(5),
        weighting: 'elbo',
      }),
    );
  });

  it('matches it far from init, where every path carries signal', async () => {
    const layout = buildParameterLayout(tinyConfig());
    const rng = new Rng(8);
    const x0 = Int32Array.from({ length: 4 * 5 }, () => 1 + rng.int(6));
    const batch = maskedDiffusionBatch(x0, 4, 5, { maskId: 0, rng, weighting: 'mean' });
    await checkAgainstReference(
      layout,
      randomParameters(layout, 3, (n) => new Float64Array(n)),
      batch,
    );
  });

  it('matches it with causal attention and no time conditioning (the autoregressive twin)', async () => {
    const layout = buildParameterLayout(tinyConfig({ causal: true, timeConditioning: false }));
    const rng = new Rng(2);
    const x0 = Int32Array.from({ length: 3 * 5 }, () => rng.int(7));
    await checkAgainstReference(
      layout,
      randomParameters(layout, 6, (n) => new Float64Array(n)),
      nextTokenBatch(x0, 3, 5),
    );
  });

  it('lowers the loss when it trains on one batch, steps queued without reads', async () => {
    const layout = buildParameterLayout(tinyConfig());
    const rng = new Rng(1);
    const x0 = Int32Array.from({ length: 4 * 5 }, () => 1 + rng.int(6));
    const batch = maskedDiffusionBatch(x0, 4, 5, { maskId: 0, rng, weighting: 'elbo' });
    const trainer = createJaxTrainer(
      layout,
      initParameters(layout, 2, (n) => new Float32Array(n)),
      'wasm',
    );
    try {
      const first = await trainer.loss(batch);
      for (let i = 0; i < 20; i++) trainer.step(batch, 1e-2).dispose();
      expect(await trainer.loss(batch)).toBeLessThan(0.5 * first);
    } finally {
      trainer.dispose();
    }
  });
});

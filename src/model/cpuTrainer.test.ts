import { describe, expect, it } from 'vitest';
import { maskedLossFromLogits } from '../core/articleLoss';
import { maskedLossWeights } from '../core/lossWeights';
import { Rng } from '../core/rng';
import { createAdamWState, DEFAULT_ADAMW, weightDecayMask } from './adamw';
import { backward } from './backward';
import {
  addInto,
  applyUpdate,
  batchRows,
  computeGradients,
  type CpuTrainerWorkspace,
  DEFAULT_T_MIN,
  maskedDiffusionBatch,
  maskedDiffusionGradients,
  nextTokenBatch,
  nextTokenGradients,
} from './cpuTrainer';
import { maskedCrossEntropy } from './crossEntropy';
import { forward } from './forward';
import { initParameters } from './init';
import { buildParameterLayout } from './parameterLayout';
import { randomParameters, randomTokens, tinyConfig } from './testNetworks';

const f64 = (n: number) => new Float64Array(n);
const MASK = 0;

describe('maskedDiffusionBatch', () => {
  it('draws t per row, then masks each token with probability t, in that order', () => {
    const x0 = Int32Array.from([3, 4, 5, 6, 1, 2, 3, 4, 6, 6, 5, 5]);
    const b = maskedDiffusionBatch(x0, 3, 4, { maskId: MASK, rng: new Rng(9), weighting: 'elbo' });
    // Replay the documented draw order with the same seed.
    const rng = new Rng(9);
    let masked = 0;
    for (let row = 0; row < 3; row++) {
      const t = DEFAULT_T_MIN + (1 - DEFAULT_T_MIN) * rng.uniform();
      expect(b.t![row]).toBe(t);
      for (let i = 0; i < 4; i++) {
        const n = row * 4 + i;
        const isMasked = rng.uniform() < t;
        expect(b.tokens[n]).toBe(isMasked ? MASK : x0[n]);
        expect(b.targets[n]).toBe(isMasked ? x0[n] : -1);
        if (isMasked) masked++;
      }
    }
    expect(b.lossPositions).toBe(masked);
    const masks = Array.from(b.targets, (x) => (x >= 0 ? 1 : 0));
    expect([...b.weights]).toEqual([...maskedLossWeights(masks, 3, 4, b.t!, 'elbo')]);
  });

  it('masks about half of all tokens when t ~ U(tMin, 1)', () => {
    const rng = new Rng(3);
    const x0 = randomTokens(rng, 500 * 16, 7).map((x) => x + 1);
    const b = maskedDiffusionBatch(x0, 500, 16, {
      maskId: MASK,
      rng,
      weighting: 'mean',
      tMin: 0.2,
    });
    // E[masked fraction] = E[t] = 0.6; the row-level spread of t gives a std of ~0.01.
    expect(b.lossPositions / x0.length).toBeGreaterThan(0.56);
    expect(b.lossPositions / x0.length).toBeLessThan(0.64);
    expect(Math.min(...b.t!)).toBeGreaterThanOrEqual(0.2);
    expect(b.weights.reduce((a, w) => a + w, 0)).toBeCloseTo(1, 12);
  });
});

describe('nextTokenBatch', () => {
  it('predicts x0 shifted by one with the plain mean over predicted positions', () => {
    const x0 = Int32Array.from([1, 2, 3, 4, 5, 6]);
    const b = nextTokenBatch(x0, 2, 3);
    expect([...b.tokens]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...b.targets]).toEqual([2, 3, -1, 5, 6, -1]);
    expect([...b.weights]).toEqual([0.25, 0.25, 0, 0.25, 0.25, 0]);
    expect(b.t).toBeNull();
    expect(b.lossPositions).toBe(4);
  });
});

describe('computeGradients', () => {
  const config = tinyConfig();
  const layout = buildParameterLayout(config);
  const params = randomParameters(layout, 31, f64);
  const rng = new Rng(32);
  const batch = 6;
  const length = 5;
  const x0 = randomTokens(rng, batch * length, config.vocabSize);

  it('returns the article loss of core/articleLoss and the gradient of forward + backward', () => {
    for (const weighting of ['elbo', 'mean'] as const) {
      const b = maskedDiffusionBatch(x0, batch, length, { maskId: MASK, rng, weighting });
      const { loss, grads } = computeGradients(layout, params, b);
      const { logits, cache } = forward(layout, params, {
        tokens: b.tokens,
        batch,
        length,
        t: b.t!,
      });
      const reference = maskedLossFromLogits({
        logits,
        targets: x0,
        masked: Array.from(b.targets, (x) => x >= 0),
        batch,
        length,
        vocabSize: config.vocabSize,
        t: b.t!,
        weighting,
      });
      expect(loss).toBeCloseTo(reference, 12);
      const expected = new Float64Array(layout.total);
      backward(
        layout,
        params,
        cache,
        maskedCrossEntropy(logits, b.targets, b.weights, 7).dLogits,
        expected,
      );
      expect([...grads]).toEqual([...expected]);
    }
  });

  it('splits across data-parallel workers: the parts sum to the full batch', () => {
    for (const weighting of ['elbo', 'mean'] as const) {
      const full = maskedDiffusionBatch(x0, batch, length, { maskId: MASK, rng, weighting });
      const whole = computeGradients(layout, params, full);
      const first = computeGradients(layout, params, batchRows(full, 0, 2));
      const second = computeGradients(layout, params, batchRows(full, 2, batch));
      expect(first.loss + second.loss).toBeCloseTo(whole.loss, 12);
      const sum = first.grads.slice();
      addInto(sum, second.grads);
      for (let j = 0; j < layout.total; j++) expect(sum[j]).toBeCloseTo(whole.grads[j], 12);
      expect(batchRows(full, 0, 2).lossPositions + batchRows(full, 2, batch).lossPositions).toBe(
        full.lossPositions,
      );
    }
  });

  it("splits the loss by row: each row's share is the loss of that row alone", () => {
    for (const weighting of ['elbo', 'mean'] as const) {
      const full = maskedDiffusionBatch(x0, batch, length, { maskId: MASK, rng, weighting });
      const whole = computeGradients(layout, params, full);
      expect(whole.rowLoss).toHaveLength(batch);
      expect(whole.rowLoss.reduce((a, b) => a + b, 0)).toBeCloseTo(whole.loss, 12);
      for (let b = 0; b < batch; b++) {
        // batchRows keeps the batch-wide weights, so one row's loss is its share of the batch's.
        const alone = computeGradients(layout, params, batchRows(full, b, b + 1));
        expect(whole.rowLoss[b]).toBeCloseTo(alone.loss, 12);
        expect(alone.rowLoss[0]).toBeCloseTo(alone.loss, 12);
      }
    }
  });

  it('reuses the workspace and replaces a transferred (detached) gradient buffer', () => {
    const b = maskedDiffusionBatch(x0, batch, length, { maskId: MASK, rng, weighting: 'elbo' });
    const workspace: CpuTrainerWorkspace<Float64Array> = {};
    const first = computeGradients(layout, params, b, workspace).grads.slice();
    const again = computeGradients(layout, params, b, workspace);
    expect(again.grads).toBe(workspace.grads);
    expect([...again.grads]).toEqual([...first]);
    workspace.grads = new Float64Array(0);
    expect([...computeGradients(layout, params, b, workspace).grads]).toEqual([...first]);
  });
});

describe('training on the CPU', () => {
  it('starts at ln V and learns a deterministic next-token sequence', () => {
    const config = tinyConfig({ causal: true, timeConditioning: false, vocabSize: 7, seqLen: 6 });
    const layout = buildParameterLayout(config);
    const params = initParameters(layout, 1, (n) => new Float32Array(n));
    // Every row is a rotation of 1..6: the next token is always (x mod 6) + 1.
    const batch = 6;
    const x0 = new Int32Array(batch * 6);
    for (let b = 0; b < batch; b++) for (let i = 0; i < 6; i++) x0[b * 6 + i] = ((b + i) % 6) + 1;
    const state = createAdamWState(layout.total);
    const decay = weightDecayMask(layout);
    const schedule = { peak: 1e-2, warmupSteps: 5, totalSteps: 150, floor: 1e-3 };
    const workspace: CpuTrainerWorkspace = {};
    const losses: number[] = [];
    for (let step = 0; step < 150; step++) {
      const { loss, grads, maskedCount, tPerRow } = nextTokenGradients(
        layout,
        params,
        x0,
        batch,
        6,
        workspace,
      );
      expect(maskedCount).toBe(30);
      expect(tPerRow).toBeNull();
      losses.push(loss);
      const update = applyUpdate(params, grads, state, decay, DEFAULT_ADAMW, schedule);
      if (step === 0) expect(update.lr).toBeCloseTo(2e-3, 12);
    }
    expect(losses[0]).toBeCloseTo(Math.log(7), 1);
    expect(losses[149]).toBeLessThan(0.05);
  });

  it('brings the masked-diffusion loss down to the Bayes optimum of a two-sentence corpus', () => {
    const config = tinyConfig({ vocabSize: 6, seqLen: 4, dModel: 16, ffn: 32 });
    const layout = buildParameterLayout(config);
    const params = initParameters(layout, 2, (n) => new Float32Array(n));
    // Two sentences, [1 2 3 4] and [5 4 3 2]: one visible token at position 0, 1 or 3 decides
    // the rest. Only when all three are masked (probability t³) is each of them a coin flip,
    // so the best possible 'mean' loss is E[3·t³·ln 2] / E[4t] = (3/4·ln 2)/2 ≈ 0.26.
    const sentences = [
      [1, 2, 3, 4],
      [5, 4, 3, 2],
    ];
    const rng = new Rng(5);
    const state = createAdamWState(layout.total);
    const decay = weightDecayMask(layout);
    const steps = 300;
    const schedule = { peak: 1e-2, warmupSteps: 5, totalSteps: steps, floor: 1e-3 };
    const workspace: CpuTrainerWorkspace = {};
    const batch = 32;
    const x0 = Int32Array.from(
      { length: batch * 4 },
      (_, j) => sentences[Math.floor(j / 4) % 2][j % 4],
    );
    const losses: number[] = [];
    for (let step = 0; step < steps; step++) {
      const options = { maskId: MASK, rng, weighting: 'mean' as const };
      const result = maskedDiffusionGradients(layout, params, x0, batch, 4, options, workspace);
      expect(result.tPerRow!.length).toBe(batch);
      losses.push(result.loss);
      applyUpdate(params, result.grads, state, decay, DEFAULT_ADAMW, schedule);
    }
    const average = (from: number, to: number) =>
      losses.slice(from, to).reduce((a, b) => a + b, 0) / (to - from);
    expect(average(0, 5)).toBeGreaterThan(1.5); // ln 6 = 1.79 at init
    const optimum = (0.75 * Math.log(2)) / 2;
    expect(average(steps - 100, steps)).toBeLessThan(optimum + 0.06);
    expect(average(steps - 100, steps)).toBeGreaterThan(optimum - 0.06);
  });

  it('refuses next-token training on a bidirectional or time-conditioned network', () => {
    const x0 = new Int32Array(10).fill(1);
    const bidirectional = buildParameterLayout(tinyConfig({ timeConditioning: false }));
    const p1 = initParameters(bidirectional, 1, f64);
    expect(() => nextTokenGradients(bidirectional, p1, x0, 2, 5)).toThrow(/causal/);
    const timed = buildParameterLayout(tinyConfig({ causal: true }));
    const p2 = initParameters(timed, 1, f64);
    expect(() => nextTokenGradients(timed, p2, x0, 2, 5)).toThrow(/timeConditioning/);
  });
});

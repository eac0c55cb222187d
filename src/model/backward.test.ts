import { describe, expect, it } from 'vitest';
import { maskedLossWeights } from '../core/lossWeights';
import { Rng } from '../core/rng';
import { backward } from './backward';
import { type ModelConfig } from './config';
import { maskedCrossEntropy } from './crossEntropy';
import { forward, type ForwardInput } from './forward';
import { buildParameterLayout, type ParameterLayout } from './parameterLayout';
import { randomParameters, randomTokens, tinyConfig } from './testNetworks';

const f64 = (n: number) => new Float64Array(n);

/**
 * Fourth-order central difference, (8(f(+h) − f(−h)) − (f(+2h) − f(−2h))) / 12h: with h = 1e-3
 * its truncation error is O(h⁴) and its rounding error ~1e-13·|f|, far below the 1e-6 bar.
 */
function numericalGradient(loss: (p: Float64Array) => number, params: Float64Array, j: number) {
  const h = 1e-3;
  const old = params[j];
  const at = (dx: number) => {
    params[j] = old + dx;
    return loss(params);
  };
  const g = (8 * (at(h) - at(-h)) - (at(2 * h) - at(-2 * h))) / (12 * h);
  params[j] = old;
  return g;
}

/**
 * Checks every element of every parameter tensor and returns the worst relative error per
 * tensor. Some true gradients are exactly zero (the key bias: softmax ignores a shift shared by
 * all keys), where the difference quotient returns rounding noise of ~1e-11: both below 1e-10
 * counts as agreement, and the denominator has a floor of 1e-5 for the same reason.
 */
function worstRelativeErrors(
  layout: ParameterLayout,
  params: Float64Array,
  loss: (p: Float64Array) => number,
  analytic: Float64Array,
): Map<string, number> {
  const worst = new Map<string, number>();
  for (const spec of layout.specs) {
    let w = 0;
    for (let i = 0; i < spec.size; i++) {
      const j = spec.offset + i;
      const numeric = numericalGradient(loss, params, j);
      const a = analytic[j];
      const bothZero = Math.abs(a) < 1e-10 && Math.abs(numeric) < 1e-10;
      const rel = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), 1e-5);
      if (!bothZero) w = Math.max(w, rel);
    }
    worst.set(spec.name, w);
  }
  return worst;
}

function expectAllBelow(worst: Map<string, number>, bound: number) {
  const failing = [...worst].filter(([, e]) => !(e < bound));
  expect(failing).toEqual([]);
}

/** loss = Σ R·logits with a random R: every logit gets its own nonzero gradient. */
function checkRandomWeightedLoss(config: ModelConfig, batch: number, length: number, seed: number) {
  const layout = buildParameterLayout(config);
  const params = randomParameters(layout, seed, f64);
  const rng = new Rng(seed + 1);
  const input: ForwardInput = {
    tokens: randomTokens(rng, batch * length, config.vocabSize),
    batch,
    length,
    t: config.timeConditioning ? Array.from({ length: batch }, () => rng.uniform()) : undefined,
  };
  const R = new Float64Array(batch * length * config.vocabSize).map(() => rng.normal());
  const loss = (p: Float64Array) => {
    const { logits } = forward(layout, p, input);
    let s = 0;
    for (let i = 0; i < R.length; i++) s += R[i] * logits[i];
    return s;
  };
  const { cache } = forward(layout, params, input);
  const grads = new Float64Array(layout.total);
  backward(layout, params, cache, R, grads);
  return { layout, params, grads, worst: worstRelativeErrors(layout, params, loss, grads) };
}

describe('backward matches central finite differences in float64 (every element)', () => {
  it('bidirectional, time-conditioned, random weighted loss', () => {
    const { worst, layout, grads } = checkRandomWeightedLoss(tinyConfig(), 2, 5, 11);
    expect(worst.size).toBe(layout.specs.length);
    expectAllBelow(worst, 1e-6);
    // The key bias adds q·bk to every score of a row: softmax is blind to it.
    for (const name of ['layers.0.attn.bk', 'layers.1.attn.bk']) {
      const spec = layout.byName.get(name)!;
      for (let i = 0; i < spec.size; i++)
        expect(Math.abs(grads[spec.offset + i])).toBeLessThan(1e-12);
    }
  });

  it('causal, without time conditioning, on windows shorter than seqLen', () => {
    const config = tinyConfig({ causal: true, timeConditioning: false });
    const { worst, layout, grads } = checkRandomWeightedLoss(config, 3, 4, 23);
    expectAllBelow(worst, 1e-6);
    // Position 4 of pos_emb is never used for length 4: its gradient is exactly zero.
    const pos = layout.byName.get('pos_emb')!;
    const d = config.dModel;
    for (let c = 0; c < d; c++) expect(grads[pos.offset + 4 * d + c]).toBe(0);
    for (let c = 0; c < d; c++) expect(grads[pos.offset + 3 * d + c]).not.toBe(0);
  });

  it("through maskedCrossEntropy with the 'elbo' weights of a masked batch", () => {
    const config = tinyConfig();
    const layout = buildParameterLayout(config);
    const params = randomParameters(layout, 5, f64);
    const rng = new Rng(6);
    const batch = 3;
    const length = 5;
    const maskId = 0;
    const x0 = randomTokens(rng, batch * length, config.vocabSize);
    const t = [0.3, 0.6, 0.9];
    const masked = new Uint8Array(batch * length);
    const tokens = x0.slice();
    for (let n = 0; n < tokens.length; n++) {
      if (rng.uniform() < t[Math.floor(n / length)]) {
        masked[n] = 1;
        tokens[n] = maskId;
      }
    }
    expect(masked.reduce((a, b) => a + b, 0)).toBeGreaterThan(2);
    const weights = maskedLossWeights(masked, batch, length, t, 'elbo');
    const input = { tokens, batch, length, t };
    const loss = (p: Float64Array) =>
      maskedCrossEntropy(forward(layout, p, input).logits, x0, weights, config.vocabSize).loss;
    const { logits, cache } = forward(layout, params, input);
    const { dLogits } = maskedCrossEntropy(logits, x0, weights, config.vocabSize);
    const grads = new Float64Array(layout.total);
    backward(layout, params, cache, dLogits, grads);
    expectAllBelow(worstRelativeErrors(layout, params, loss, grads), 1e-6);
  });
});

describe('backward', () => {
  it('adds into grads, so two calls give twice the gradient', () => {
    const layout = buildParameterLayout(tinyConfig());
    const params = randomParameters(layout, 3, f64);
    const input = { tokens: Int32Array.from([1, 2, 3, 4, 5]), batch: 1, length: 5, t: [0.5] };
    const { logits, cache } = forward(layout, params, input);
    const dLogits = logits.map((_, i) => Math.sin(i));
    const once = new Float64Array(layout.total);
    backward(layout, params, cache, dLogits, once);
    const twice = new Float64Array(layout.total);
    backward(layout, params, cache, dLogits, twice);
    backward(layout, params, cache, dLogits, twice);
    for (let j = 0; j < layout.total; j++) expect(twice[j]).toBeCloseTo(2 * once[j], 12);
  });

  it('refuses a dLogits buffer of the wrong size', () => {
    const layout = buildParameterLayout(tinyConfig());
    const params = randomParameters(layout, 3, f64);
    const { cache } = forward(layout, params, {
      tokens: new Int32Array(5),
      batch: 1,
      length: 5,
      t: [0.5],
    });
    const grads = new Float64Array(layout.total);
    expect(() => backward(layout, params, cache, new Float64Array(3), grads)).toThrow(/dLogits/);
  });
});

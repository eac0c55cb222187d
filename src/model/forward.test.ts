import { describe, expect, it } from 'vitest';
import { maskedLossWeights } from '../core/lossWeights';
import { Rng } from '../core/rng';
import { type ModelConfig } from './config';
import { maskedCrossEntropy } from './crossEntropy';
import { forward } from './forward';
import { buildParameterLayout, type ParameterLayout, paramView } from './parameterLayout';
import { randomParameters, randomTokens, tinyConfig } from './testNetworks';

const f64 = (n: number) => new Float64Array(n);

/**
 * A network small enough to run on paper: V = 3, L = 2, d = 2, one head, one layer, ffn = 1,
 * time conditioning, and layerNormEps = 1 so LayerNorm does not saturate.
 *
 * In 2-d, a vector x has mean (x1+x2)/2 and deviations ±δ with δ = (x1−x2)/2, so
 * LayerNorm(x) (gain 1, bias 0) = ν(δ)·(1, −1) with ν(δ) = δ/√(δ² + 1), and adding c·(1, −1)
 * to x adds c to δ. Everything below is tracked through δ.
 *
 *   tok_emb: 0 → (1, −1), 1 → (−1, 1), 2 → (0.5, 0);  pos_emb = 0
 *   time_w = (1, 0), time_b = (0, 0.5): h0 += (t, 0.5), which leaves δ of a token with
 *     (x1, x2) at (x1 + t − x2 − 0.5)/2.
 *   attention: Wq = Wk = 0, so every score is 0 and A is uniform over the allowed keys;
 *     Wv = Wo = I, biases 0: h_i += mean over allowed keys j of ν(δ_j)·(1, −1).
 *   MLP: W1 = 0, b1 = 1, so the hidden unit is gelu(1) = G for every position;
 *     W2 = (0.5, −0.5), b2 = 0: δ += 0.5·G.
 *     G = 0.5·(1 + tanh(√(2/π)·(1 + 0.044715))) = 0.8411919906082768.
 *   head: lnf gain 1, bias 0, so z = ν(δ)·(1, −1); head.w = [[2, 0, 0], [0, 1, 0]],
 *     head.b = (0, 0, 0.5): logits = (2ν, −ν, 0.5).
 *
 * Batch: row 0 = tokens [0, 1] at t = 0.5, row 1 = tokens [2, 0] at t = 0.25.
 *   δ after the embeddings: row 0: 1, −1; row 1: 0.125, 0.875.
 *   ν(1) = 0.70710678, ν(0.125) = 0.12403473, ν(0.875) = 0.65850461.
 * Bidirectional: row 0 adds (ν(1) + ν(−1))/2 = 0; row 1 adds m = (ν(0.125) + ν(0.875))/2
 *   = 0.39126967 to both positions. Final δ = [1 + G/2, −1 + G/2, 0.125 + m + G/2,
 *   0.875 + m + G/2] = [1.42059600, −0.57940400, 0.93686567, 1.68686567].
 * Causal: position 0 sees only itself: row 0 adds ν(1), row 1 adds ν(0.125); position 1 as
 *   before. Final δ = [2.12770278, −0.57940400, 0.66963073, 1.68686567].
 *
 * Loss: targets [2, 0, 1, 2], masked [1, 1, 1, 0]; 'elbo' weights 1/(t·L·batch) =
 *   [0.5, 0.5, 1, 0]. CE = log(e^{2ν} + e^{−ν} + e^{0.5}) − logit[target]:
 *   bidirectional: 0.5·1.47711356 + 0.5·2.30191302 + 1·2.48846262 = 4.37797591375115
 *   causal:        0.5·1.59973791 + 0.5·2.30191302 + 1·2.21746236 = 4.16828782475488
 */
function handNetwork(causal: boolean): { layout: ParameterLayout; params: Float64Array } {
  const config: ModelConfig = {
    vocabSize: 3,
    seqLen: 2,
    dModel: 2,
    heads: 1,
    layers: 1,
    ffn: 1,
    timeConditioning: true,
    causal,
    layerNormEps: 1,
  };
  const layout = buildParameterLayout(config);
  const params = new Float64Array(layout.total);
  const set = (name: string, values: number[]) => {
    const view = paramView(layout, params, name);
    expect(view.length).toBe(values.length);
    view.set(values);
  };
  set('tok_emb', [1, -1, -1, 1, 0.5, 0]);
  set('time_w', [1, 0]);
  set('time_b', [0, 0.5]);
  set('layers.0.ln1.gamma', [1, 1]);
  set('layers.0.attn.wv', [1, 0, 0, 1]);
  set('layers.0.attn.wo', [1, 0, 0, 1]);
  set('layers.0.ln2.gamma', [1, 1]);
  set('layers.0.mlp.b1', [1]);
  set('layers.0.mlp.w2', [0.5, -0.5]);
  set('lnf.gamma', [1, 1]);
  set('head.w', [2, 0, 0, 0, 1, 0]);
  set('head.b', [0, 0, 0.5]);
  return { layout, params };
}

const handInput = { tokens: Int32Array.from([0, 1, 2, 0]), batch: 2, length: 2, t: [0.5, 0.25] };
const handTargets = Int32Array.from([2, 0, 1, 2]);
const handWeights = maskedLossWeights([1, 1, 1, 0], 2, 2, [0.5, 0.25], 'elbo');

describe('forward on a network computed by hand', () => {
  const nu = (delta: number) => delta / Math.sqrt(delta * delta + 1);

  it('bidirectional: logits and the elbo-weighted loss', () => {
    const { layout, params } = handNetwork(false);
    const { logits } = forward(layout, params, handInput);
    const deltas = [
      1.4205959953041383, -0.5794040046958616, 0.9368656665330016, 1.6868656665330017,
    ];
    deltas.forEach((delta, n) => {
      expect(logits[n * 3]).toBeCloseTo(2 * nu(delta), 12);
      expect(logits[n * 3 + 1]).toBeCloseTo(-nu(delta), 12);
      expect(logits[n * 3 + 2]).toBeCloseTo(0.5, 12);
    });
    expect([...handWeights]).toEqual([0.5, 0.5, 1, 0]);
    const { loss } = maskedCrossEntropy(logits, handTargets, handWeights, 3);
    expect(Math.abs(loss - 4.37797591375115)).toBeLessThan(1e-9);
  });

  it('causal: position 0 attends only to itself', () => {
    const { layout, params } = handNetwork(true);
    const { logits } = forward(layout, params, handInput);
    const deltas = [
      2.1277027764906857, -0.5794040046958616, 0.6696307298933468, 1.6868656665330017,
    ];
    deltas.forEach((delta, n) => expect(logits[n * 3 + 1]).toBeCloseTo(-nu(delta), 12));
    const { loss } = maskedCrossEntropy(logits, handTargets, handWeights, 3);
    expect(Math.abs(loss - 4.16828782475488)).toBeLessThan(1e-9);
  });
});

describe('forward', () => {
  const config = tinyConfig({ vocabSize: 13, seqLen: 8, dModel: 16, heads: 4, ffn: 32 });
  const layout = buildParameterLayout(config);
  const params64 = randomParameters(layout, 17, f64, 0.3);
  const rng = new Rng(4);
  const batch = 3;
  const length = 8;
  const tokens = randomTokens(rng, batch * length, config.vocabSize);
  const t = [0.2, 0.5, 0.9];
  const V = config.vocabSize;

  it('gives the same logits in float32 and float64 (relative 1e-4)', () => {
    const out64 = forward(layout, params64, { tokens, batch, length, t }).logits;
    const out32 = forward(layout, Float32Array.from(params64), { tokens, batch, length, t }).logits;
    expect(out32).toBeInstanceOf(Float32Array);
    expect(out64).toBeInstanceOf(Float64Array);
    let scale = 0;
    let diff = 0;
    for (let i = 0; i < out64.length; i++) {
      scale = Math.max(scale, Math.abs(out64[i]));
      diff = Math.max(diff, Math.abs(out32[i] - out64[i]));
    }
    expect(scale).toBeGreaterThan(0.5);
    expect(diff / scale).toBeLessThan(1e-4);
  });

  it('keeps batch rows independent', () => {
    const base = forward(layout, params64, { tokens, batch, length, t }).logits.slice();
    const changed = tokens.slice();
    for (let i = 0; i < length; i++) changed[length + i] = (changed[length + i] + 1 + i) % V;
    const t2 = [t[0], 0.7, t[2]];
    const out = forward(layout, params64, { tokens: changed, batch, length, t: t2 }).logits;
    const rowSize = length * V;
    for (const b of [0, 2]) {
      for (let j = b * rowSize; j < (b + 1) * rowSize; j++) expect(out[j]).toBe(base[j]);
    }
    let moved = 0;
    for (let j = rowSize; j < 2 * rowSize; j++) moved = Math.max(moved, Math.abs(out[j] - base[j]));
    expect(moved).toBeGreaterThan(1e-3);
  });

  it('with causal attention, position i ignores tokens after i; without it, it does not', () => {
    for (const causal of [true, false]) {
      const cfg = { ...config, causal };
      const lay = buildParameterLayout(cfg);
      const p = randomParameters(lay, 21, f64, 0.3);
      const one = { tokens: tokens.subarray(0, length), batch: 1, length, t: [0.4] };
      const base = forward(lay, p, one).logits.slice();
      for (let j = 1; j < length; j++) {
        const changed = one.tokens.slice();
        changed[j] = (changed[j] + 1) % V;
        const out = forward(lay, p, { ...one, tokens: changed }).logits;
        for (let i = 0; i < j; i++) {
          let diff = 0;
          for (let v = 0; v < V; v++)
            diff = Math.max(diff, Math.abs(out[i * V + v] - base[i * V + v]));
          if (causal) expect(diff).toBe(0);
          else expect(diff).toBeGreaterThan(1e-4);
        }
      }
    }
  });

  it('reuses the buffers of an earlier cache and gives the same logits', () => {
    const first = forward(layout, params64, { tokens, batch, length, t });
    const expected = first.logits.slice();
    const other = forward(layout, params64, {
      tokens: tokens.map((x) => (x + 3) % V),
      batch,
      length,
      t,
    });
    const again = forward(layout, params64, { tokens, batch, length, t }, other.cache);
    expect(again.logits).toBe(other.logits);
    expect([...again.logits]).toEqual([...expected]);
    // A cache of another shape is not reused.
    const shorter = forward(
      layout,
      params64,
      { tokens: tokens.subarray(0, 8), batch: 1, length, t },
      first.cache,
    );
    expect(shorter.cache).not.toBe(first.cache);
  });

  it('refuses inputs that do not fit the network, saying what is wrong', () => {
    const run = (over: Partial<Parameters<typeof forward>[2]>) => () =>
      forward(layout, params64, { tokens, batch, length, t, ...over });
    const bad = tokens.slice();
    bad[9] = V;
    expect(run({ tokens: bad })).toThrow(
      /token id 13 at row 1, position 1 is outside the vocabulary \[0, 13\)/,
    );
    bad[9] = -1;
    expect(run({ tokens: bad })).toThrow(/token id -1/);
    expect(run({ t: undefined })).toThrow(/input\.t/);
    expect(run({ length: 9, tokens: new Int32Array(27) })).toThrow(
      /length must be an integer in 1\.\.8/,
    );
    expect(run({ batch: 2 })).toThrow(/batch × length/);
    expect(() => forward(layout, params64.subarray(1), { tokens, batch, length, t })).toThrow(
      /params/,
    );
  });

  it('accepts windows shorter than seqLen', () => {
    const out = forward(layout, params64, {
      tokens: tokens.subarray(0, 6),
      batch: 2,
      length: 3,
      t: [0.1, 0.2],
    });
    expect(out.logits.length).toBe(2 * 3 * V);
    expect(out.logits.every(Number.isFinite)).toBe(true);
  });
});

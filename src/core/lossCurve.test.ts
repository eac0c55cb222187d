import { describe, expect, it } from 'vitest';
import { binomialPmf } from './forwardProcess';
import type { Denoiser } from './denoiser';
import { lossCurve, type CurveSentence, type LossCurveOptions } from './lossCurve';
import { Rng } from './rng';

const V = 8;
const SEQ = 6;
const MASK = 0;
const X0 = Int32Array.from([3, 4, 5, 6, 2, 2]);

/**
 * A fake model that knows x₀ and gives the true token probability q(k) at every masked
 * position, where k is how many positions of the row are masked; it records its inputs.
 */
function fakeModel(q: (k: number) => number) {
  const calls: { tokens: Int32Array; batch: number; t?: Float32Array }[] = [];
  const denoiser: Denoiser = {
    vocabSize: V,
    seqLen: SEQ,
    maskId: MASK,
    async logits(tokens, batch, t) {
      calls.push({ tokens: tokens.slice(), batch, t: t?.slice() });
      const out = new Float32Array(batch * SEQ * V);
      for (let b = 0; b < batch; b++) {
        let k = 0;
        for (let i = 0; i < SEQ; i++) if (tokens[b * SEQ + i] === MASK) k++;
        const p = q(k);
        for (let i = 0; i < SEQ; i++) {
          for (let v = 0; v < V; v++) {
            out[(b * SEQ + i) * V + v] = Math.log(v === X0[i] ? p : (1 - p) / (V - 1));
          }
        }
      }
      return out;
    },
  };
  return { denoiser, calls };
}

const options = (o: Partial<LossCurveOptions> = {}): LossCurveOptions => ({
  bins: 4,
  samplesPerBin: 3000,
  rowsPerCall: 256,
  timeInput: true,
  ...o,
});

const sentence: CurveSentence = { tokens: X0, length: 4 };

describe('the Monte Carlo loss curve', () => {
  it('is flat at −log q for a model that always gives the true token q', async () => {
    const q = 0.3;
    const c = -Math.log(q);
    const { denoiser } = fakeModel(() => q);
    const curve = await lossCurve(denoiser, [sentence], options(), new Rng(1));
    for (const { t, weighted, plain } of curve.points) {
      // Every copy with something masked has plain mean exactly c.
      expect(plain.mean).toBeCloseTo(c, 6);
      expect(plain.variance).toBeLessThan(1e-10);
      // weighted = k·c / (t·L), k ~ Bin(L, t): mean c, variance c²(1 − t)/(t·L).
      const variance = (c * c * (1 - t)) / (t * 4);
      expect(weighted.count).toBe(3000);
      expect(Math.abs(weighted.mean - c)).toBeLessThan(4 * Math.sqrt(variance / 3000));
      expect(weighted.variance / variance).toBeGreaterThan(0.85);
      expect(weighted.variance / variance).toBeLessThan(1.15);
    }
    expect(Math.abs(curve.elbo.value - c)).toBeLessThan(4 * curve.elbo.standardError);
    expect(curve.perplexityBound).toBeCloseTo(Math.exp(curve.elbo.value), 12);
  });

  it('matches the exact expectation over the binomial when p depends on k', async () => {
    // q(k) = 1/(k + 1): each masked token costs log(k + 1) nats.
    const { denoiser } = fakeModel((k) => 1 / (k + 1));
    const L = 4;
    const curve = await lossCurve(denoiser, [sentence], options(), new Rng(2));
    for (const { t, weighted, plain } of curve.points) {
      let expWeighted = 0;
      let expPlainSum = 0;
      for (let k = 1; k <= L; k++) {
        const pk = binomialPmf(k, L, t);
        expWeighted += (pk * k * Math.log(k + 1)) / (t * L);
        expPlainSum += pk * Math.log(k + 1);
      }
      const expPlain = expPlainSum / (1 - (1 - t) ** L); // conditioned on k ≥ 1
      expect(Math.abs(weighted.mean - expWeighted)).toBeLessThan(
        4 * Math.sqrt(weighted.variance / weighted.count),
      );
      expect(Math.abs(plain.mean - expPlain)).toBeLessThan(
        4 * Math.sqrt(plain.variance / plain.count) + 1e-9,
      );
    }
  });

  it('batches masked copies, passes each copy its t, and masks only [0, L)', async () => {
    const { denoiser, calls } = fakeModel(() => 0.5);
    const curve = await lossCurve(
      denoiser,
      [sentence, { tokens: X0, length: 2 }],
      options({ samplesPerBin: 5, rowsPerCall: 7 }),
      new Rng(3),
    );
    expect(curve.copies).toBe(4 * 2 * 5);
    expect(curve.calls).toBe(Math.ceil(curve.rows / 7));
    expect(calls.length).toBe(curve.calls);
    expect(calls.reduce((n, c) => n + c.batch, 0)).toBe(curve.rows);
    const grid = [0.125, 0.375, 0.625, 0.875];
    for (const { tokens, batch, t } of calls) {
      expect(t).toHaveLength(batch);
      for (let b = 0; b < batch; b++) {
        expect(grid).toContain(Number(t![b].toFixed(3)));
        const row = tokens.subarray(b * SEQ, (b + 1) * SEQ);
        expect(row.some((id) => id === MASK)).toBe(true); // copies with nothing masked skip the model
        for (let i = 4; i < SEQ; i++) expect(row[i]).toBe(X0[i]);
        row.forEach((id, i) => expect(id === MASK || id === X0[i]).toBe(true));
      }
    }
    // Every copy counts in the weighted curve, including those with nothing masked.
    for (const p of curve.points) expect(p.weighted.count).toBe(10);
  });

  it('depends on the seed only, not on the batch size', async () => {
    const run = (rowsPerCall: number, seed: number) =>
      lossCurve(
        fakeModel((k) => 1 / (k + 1)).denoiser,
        [sentence],
        options({ samplesPerBin: 20, rowsPerCall }),
        new Rng(seed),
      );
    const a = await run(3, 9);
    const b = await run(64, 9);
    expect(b.points).toEqual(a.points);
    expect((await run(3, 10)).points).not.toEqual(a.points);
  });

  it('passes no t to a model without time input', async () => {
    const { denoiser, calls } = fakeModel(() => 0.5);
    await lossCurve(
      denoiser,
      [sentence],
      options({ samplesPerBin: 2, timeInput: false }),
      new Rng(4),
    );
    expect(calls.every((c) => c.t === undefined)).toBe(true);
  });

  it('refuses windows of the wrong size and empty inputs', async () => {
    const { denoiser } = fakeModel(() => 0.5);
    const bad = { tokens: new Int32Array(5), length: 2 };
    await expect(lossCurve(denoiser, [bad], options(), new Rng(1))).rejects.toThrow(/window is 6/);
    await expect(lossCurve(denoiser, [], options(), new Rng(1))).rejects.toThrow(/at least one/);
  });
});

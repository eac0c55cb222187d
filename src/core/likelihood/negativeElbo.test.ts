import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { drawElboMask } from './elboDraw';
import { factorisedDenoiser, perfectDenoiser } from './likelihood.testutil';
import {
  estimateNegativeElbo,
  type NegativeElboEstimate,
  type NegativeElboOptions,
} from './negativeElbo';
import { conditionalOnFirstToken } from './scoredSpan';

async function runToEnd(gen: AsyncGenerator<unknown, NegativeElboEstimate>) {
  for (;;) {
    const next = await gen.next();
    if (next.done) return next.value;
  }
}

const llada = (samples: number, rowsPerCall = 64): NegativeElboOptions => ({
  form: 'llada',
  samples,
  rowsPerCall,
  timeInput: true,
});

describe('drawElboMask', () => {
  it('llada: l is uniform in 1..N and each l-subset is equally likely', () => {
    const rng = new Rng(7);
    const span = { from: 1, to: 4 }; // N = 3
    const byL = [0, 0, 0, 0];
    const singles = new Map<string, number>();
    const draws = 30000;
    for (let k = 0; k < draws; k++) {
      const d = drawElboMask(span, 'llada', rng);
      const l = d.positions.length;
      byL[l]++;
      expect(d.t).toBeCloseTo(l / 3, 12);
      expect(d.weight).toBeCloseTo(3 / l, 12);
      expect(d.positions.every((p) => p >= 1 && p < 4)).toBe(true);
      if (l === 1)
        singles.set(String(d.positions[0]), (singles.get(String(d.positions[0])) ?? 0) + 1);
    }
    expect(byL[0]).toBe(0);
    // Binomial(30000, 1/3): s.d. ≈ 82, so ±400 is ~5 s.d.
    for (const l of [1, 2, 3]) expect(Math.abs(byL[l] - draws / 3)).toBeLessThan(400);
    for (const p of ['1', '2', '3'])
      expect(Math.abs(singles.get(p)! - byL[1] / 3)).toBeLessThan(250);
  });

  it('article: t in (0, 1], weight 1/t, each position masked with probability t', () => {
    const rng = new Rng(3);
    let masked = 0;
    let expected = 0;
    for (let k = 0; k < 20000; k++) {
      const d = drawElboMask({ from: 0, to: 4 }, 'article', rng);
      expect(d.t).toBeGreaterThan(0);
      expect(d.t).toBeLessThanOrEqual(1);
      expect(d.weight).toBeCloseTo(1 / d.t, 12);
      masked += d.positions.length;
      expected += 4 * d.t;
    }
    expect(Math.abs(masked - expected) / expected).toBeLessThan(0.02);
  });
});

describe('estimateNegativeElbo', () => {
  it('a factorised model with equal probabilities: every llada draw is exactly N·(−log p)', async () => {
    const window = [1, 2, 3, 1, 2];
    const model = factorisedDenoiser(window, [0.9, 0.5, 0.5, 0.5, 0.5]);
    const est = await runToEnd(
      estimateNegativeElbo(
        model,
        Int32Array.from(window),
        conditionalOnFirstToken(5),
        llada(50, 8),
        new Rng(1),
      ),
    );
    expect(est.tokens).toBe(4);
    expect(est.mean).toBeCloseTo(4 * Math.log(2), 5);
    expect(est.standardError).toBeCloseTo(0, 5);
    expect(est.n).toBe(50);
    expect(est.calls).toBe(Math.ceil(50 / 8));
    expect(est.trajectory.map((p) => p.n)).toEqual([8, 16, 24, 32, 40, 48, 50]);
  });

  it('llada, two scored tokens with −log p = A and B: mean A + B, variance (A − B)²/2', async () => {
    // Draws: l = 1 (prob ½) masks one token, value 2A or 2B; l = 2 (prob ½), value A + B.
    // E = A + B;  Var = ¼(2A)² + ¼(2B)² + ½(A + B)² − (A + B)² = (A − B)²/2.
    const A = -Math.log(0.8);
    const B = -Math.log(0.1);
    const window = [3, 1, 2];
    const model = factorisedDenoiser(window, [1, 0.8, 0.1]);
    const est = await runToEnd(
      estimateNegativeElbo(
        model,
        Int32Array.from(window),
        conditionalOnFirstToken(3),
        llada(20000, 500),
        new Rng(11),
      ),
    );
    const variance = (A - B) ** 2 / 2;
    expect(est.standardError).toBeCloseTo(Math.sqrt(variance / 20000), 3);
    expect(Math.abs(est.mean - (A + B))).toBeLessThan(4 * est.standardError);
  });

  it('article form: the same bound, A + B for a factorised model', async () => {
    const A = -Math.log(0.8);
    const B = -Math.log(0.1);
    const window = [3, 1, 2];
    const model = factorisedDenoiser(window, [1, 0.8, 0.1]);
    const est = await runToEnd(
      estimateNegativeElbo(
        model,
        Int32Array.from(window),
        conditionalOnFirstToken(3),
        { form: 'article', samples: 100000, rowsPerCall: 2000, timeInput: true },
        new Rng(5),
      ),
    );
    // Its variance is infinite (∫ dt / t diverges), so no s.e. rule: a 3% band at this seed.
    expect(Math.abs(est.mean - (A + B)) / (A + B)).toBeLessThan(0.03);
    // Draws with nothing masked are exact zeros and cost no model rows.
    expect(est.n).toBe(100000);
  });

  it('is tight for a perfect denoiser: the llada expectation equals −log p(x₁, x₂ | x₀)', async () => {
    // N = 2: ½·[−log p(x₁|x₂) − log p(x₂|x₁)] + ½·[−log p(x₁) − log p(x₂)] = −log p(x₁, x₂).
    const joint = [
      [0, 0, 0],
      [0, 0.5, 0.1],
      [0, 0.15, 0.25],
    ];
    const model = perfectDenoiser(joint);
    const window = Int32Array.of(1, 2, 1); // x₁ = 2, x₂ = 1: p = 0.15
    const est = await runToEnd(
      estimateNegativeElbo(
        model,
        window,
        conditionalOnFirstToken(3),
        llada(40000, 1000),
        new Rng(2),
      ),
    );
    expect(Math.abs(est.mean - -Math.log(0.15))).toBeLessThan(4 * est.standardError);
    expect(est.standardError).toBeLessThan(0.02);
    // The model was told t = l/N for every row: ½ or 1.
    expect(new Set(model.times)).toEqual(new Set([0.5, 1]));
    expect(model.calls).toBe(40);
  });

  it('depends on the seed only, not on the batch size', async () => {
    const joint = [
      [0, 0, 0],
      [0, 0.4, 0.2],
      [0, 0.3, 0.1],
    ];
    const window = Int32Array.of(1, 1, 2);
    const a = await runToEnd(
      estimateNegativeElbo(
        perfectDenoiser(joint),
        window,
        conditionalOnFirstToken(3),
        llada(300, 7),
        new Rng(9),
      ),
    );
    const b = await runToEnd(
      estimateNegativeElbo(
        perfectDenoiser(joint),
        window,
        conditionalOnFirstToken(3),
        llada(300, 300),
        new Rng(9),
      ),
    );
    expect(a.mean).toBeCloseTo(b.mean, 6);
    expect(a.standardError).toBeCloseTo(b.standardError, 6);
    expect(b.calls).toBe(1);
  });

  it('refuses a window of the wrong length and empty settings', async () => {
    const model = factorisedDenoiser([1, 2, 3], [0.5, 0.5, 0.5]);
    await expect(
      estimateNegativeElbo(
        model,
        Int32Array.of(1, 2),
        { from: 1, to: 2 },
        llada(4),
        new Rng(1),
      ).next(),
    ).rejects.toThrow(/window has 2 tokens/);
    await expect(
      estimateNegativeElbo(
        model,
        Int32Array.of(1, 2, 3),
        { from: 1, to: 3 },
        llada(0),
        new Rng(1),
      ).next(),
    ).rejects.toThrow(/samples must be ≥ 1/);
  });
});

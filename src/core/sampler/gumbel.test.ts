import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { gumbelMaxSample } from './gumbel';
import { argmax, softmaxRow } from './softmax';

describe('Gumbel-max sampling', () => {
  it('equals the argmax as τ → 0', () => {
    const rng = new Rng(7);
    const logitRng = new Rng(8);
    for (let trial = 0; trial < 200; trial++) {
      const row = Float64Array.from({ length: 20 }, () => 3 * logitRng.normal());
      expect(gumbelMaxSample(row, 1e-9, rng)).toBe(argmax(row));
    }
  });
  it('is greedy at τ = 0 and draws no random numbers', () => {
    const rng = new Rng(3);
    const before = new Rng(3).uniform();
    expect(gumbelMaxSample([0.1, 2, 2, -1], 0, rng)).toBe(1); // first of the tied maxima
    expect(rng.uniform()).toBe(before);
  });
  it('samples softmax(logits / τ)', () => {
    const logits = [1, 0, -1, 0.5];
    const tau = 0.7;
    const expected = softmaxRow(
      logits.map((l) => l / tau),
      0,
      4,
      new Float64Array(4),
    );
    const rng = new Rng(11);
    const counts = [0, 0, 0, 0];
    const n = 40000;
    for (let i = 0; i < n; i++) counts[gumbelMaxSample(logits, tau, rng)]++;
    // Binomial standard deviation ≤ 0.0025 here; allow 4σ.
    counts.forEach((c, v) => expect(Math.abs(c / n - expected[v])).toBeLessThan(0.01));
  });
  it('never picks a −∞ logit', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 1000; i++)
      expect(gumbelMaxSample([-Infinity, 0, -Infinity, 0], 5, rng) % 2).toBe(1);
  });
});

import { describe, expect, it } from 'vitest';
import { toySentences } from './corpus/toySentences';
import {
  binomialDistribution,
  binomialPmf,
  configurationProbability,
  expectedMaskedCount,
  maskWithDraws,
  sampleDraws,
  sampleMask,
} from './forwardProcess';
import { Rng } from './rng';

const vocab = toySentences.vocab;
const MASK = vocab.maskId;
const x0 = ['the', 'cat', 'sat', 'here'].map((w) => vocab.id(w));

describe('forward process', () => {
  it('reproduces the article: ["The", [MASK], "sat", [MASK]] at t = 0.3', () => {
    // Draws below 0.3 at positions 2 and 4 (1-based) mask exactly those two.
    const { tokens, masked } = maskWithDraws(x0, [0.5, 0.2, 0.9, 0.1], 0.3, MASK);
    expect(masked).toEqual([false, true, false, true]);
    expect(vocab.decode(tokens)).toBe('the [MASK] sat [MASK]');
    const p = configurationProbability(masked, 0.3);
    expect(Math.abs(p - 0.7 * 0.3 * 0.7 * 0.3)).toBeLessThan(1e-12);
    expect(Math.abs(p - 0.0441)).toBeLessThan(1e-12);
    expect(expectedMaskedCount(0.3, 4)).toBeCloseTo(1.2, 12);
  });

  it('masks exactly where draw < t, leaving x0 untouched', () => {
    const draws = [0.3, 0.29999, 0.0, 0.99];
    const copy = Array.from(x0);
    expect(maskWithDraws(x0, draws, 0.3, MASK).masked).toEqual([false, true, true, false]);
    expect(x0).toEqual(copy);
    expect(maskWithDraws(x0, draws, 0, MASK).masked).toEqual([false, false, false, false]);
    expect(maskWithDraws(x0, draws, 1, MASK).masked).toEqual([true, true, true, true]);
  });

  it('only ever adds masks as t rises with fixed draws', () => {
    const draws = sampleDraws(new Rng(1), 16);
    const window = toySentences.sampleWindow(new Rng(2));
    let previous = maskWithDraws(window, draws, 0, MASK).masked;
    for (let step = 1; step <= 100; step++) {
      const current = maskWithDraws(window, draws, step / 100, MASK).masked;
      previous.forEach((wasMasked, i) => {
        if (wasMasked) expect(current[i]).toBe(true);
      });
      expect(current.filter(Boolean).length).toBeGreaterThanOrEqual(
        previous.filter(Boolean).length,
      );
      previous = current;
    }
    expect(previous.every(Boolean)).toBe(true);
  });

  it('samples masks at rate t, reproducibly', () => {
    const rng = new Rng(42);
    const window = toySentences.sampleWindow(rng);
    let maskedCount = 0;
    const trials = 2000;
    for (let k = 0; k < trials; k++) {
      const { tokens, masked } = sampleMask(window, 0.3, rng, MASK);
      masked.forEach((m, i) => {
        expect(tokens[i]).toBe(m ? MASK : window[i]);
        if (m) maskedCount++;
      });
    }
    // 32000 Bernoulli(0.3) draws: standard error 0.0026.
    expect(Math.abs(maskedCount / (trials * 16) - 0.3)).toBeLessThan(0.01);
    expect(sampleMask(window, 0.5, new Rng(9), MASK)).toEqual(
      sampleMask(window, 0.5, new Rng(9), MASK),
    );
  });

  it('refuses a ratio outside [0, 1] and mismatched draws', () => {
    expect(() => maskWithDraws(x0, [0, 0, 0, 0], 1.5, MASK)).toThrow(/\[0, 1\]/);
    expect(() => maskWithDraws(x0, [0, 0, 0, 0], NaN, MASK)).toThrow(/\[0, 1\]/);
    expect(() => maskWithDraws(x0, [0, 0], 0.5, MASK)).toThrow(/one draw per token/);
    expect(() => configurationProbability([true], -0.1)).toThrow(/\[0, 1\]/);
  });
});

describe('masked-count distribution', () => {
  it('is the binomial: hand values and the article example', () => {
    expect(binomialPmf(2, 4, 0.3)).toBeCloseTo(6 * 0.09 * 0.49, 14); // 0.2646
    expect(binomialPmf(0, 4, 0.3)).toBeCloseTo(0.7 ** 4, 14);
    expect(binomialPmf(4, 4, 0.3)).toBeCloseTo(0.3 ** 4, 14);
    expect(binomialPmf(5, 4, 0.3)).toBe(0);
    expect(binomialPmf(0, 4, 0)).toBe(1);
    expect(binomialPmf(4, 4, 1)).toBe(1);
    expect(binomialPmf(3, 4, 1)).toBe(0);
  });

  it('equals the sum of configuration probabilities over all 2^L patterns', () => {
    const L = 6;
    const t = 0.37;
    const byCount = new Array<number>(L + 1).fill(0);
    for (let bits = 0; bits < 1 << L; bits++) {
      const masked = Array.from({ length: L }, (_, i) => ((bits >> i) & 1) === 1);
      byCount[masked.filter(Boolean).length] += configurationProbability(masked, t);
    }
    binomialDistribution(L, t).forEach((p, k) => expect(p).toBeCloseTo(byCount[k], 14));
  });

  it('sums to 1 with mean t·L', () => {
    for (const t of [0, 0.05, 0.3, 0.5, 0.93, 1]) {
      const d = binomialDistribution(16, t);
      expect(d).toHaveLength(17);
      expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
      expect(d.reduce((acc, p, k) => acc + p * k, 0)).toBeCloseTo(expectedMaskedCount(t, 16), 12);
    }
  });
});

import { describe, expect, it } from 'vitest';
import { negativeEntropy, topTwoMargin } from './confidence';

describe('confidence rules', () => {
  it('margin is top-1 minus top-2 probability', () => {
    expect(topTwoMargin([0.25, 0.5, 0.25])).toBeCloseTo(0.25, 15);
    expect(topTwoMargin([0.4, 0.1, 0.4, 0.1])).toBe(0);
  });
  it('negative entropy is Σ p ln(p + 1e−10)', () => {
    // 0.5 ln 0.5 + 2 · 0.25 ln 0.25 = −1.5 ln 2
    expect(negativeEntropy([0.5, 0.25, 0.25])).toBeCloseTo(-1.5 * Math.LN2, 9);
    expect(negativeEntropy([1, 0, 0])).toBeCloseTo(0, 9);
    expect(negativeEntropy([0.5, 0.25, 0.25])).toBeLessThan(negativeEntropy([0.9, 0.05, 0.05]));
  });
});

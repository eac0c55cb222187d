import { describe, expect, it } from 'vitest';
import { negativeEntropy, negativeEntropyBits } from './confidence';
import { entropyBoundCount } from './entropyBound';

describe('EB-Sampler cut', () => {
  it('takes a candidate while the entropies before it sum to at most γ (d_i ≤ γ, non-strict)', () => {
    // Dyadic values, exact in float64: acc = 0.25, 0.75, 1.5; d = 0, 0.25, 0.75.
    const h = [0.25, 0.5, 0.75];
    expect(entropyBoundCount(h, 0.75)).toBe(3); // d_2 = 0.75 = γ is taken
    expect(entropyBoundCount(h, 0.7499)).toBe(2);
    expect(entropyBoundCount(h, 0.25)).toBe(2);
    // A candidate's own entropy does not count: at γ = 0.75 the third is taken although
    // acc_2 = 1.5 > γ.
  });

  it('always takes at least one, and never more than there are', () => {
    expect(entropyBoundCount([3, 3], 0)).toBe(1);
    expect(entropyBoundCount([0, 0, 0], 0)).toBe(3);
    expect(entropyBoundCount([], 1)).toBe(0);
  });

  it('measures entropy in bits', () => {
    const uniform4 = [0.25, 0.25, 0.25, 0.25];
    expect(negativeEntropyBits(uniform4)).toBeCloseTo(-2, 8);
    expect(negativeEntropy(uniform4)).toBeCloseTo(-Math.log(4), 8);
    expect(negativeEntropyBits([1, 0, 0])).toBeCloseTo(0, 8);
  });
});

import { describe, expect, it } from 'vitest';
import { remaskSigma, remaskSigmaMax } from './remaskSchedule';

describe('ReMDM σ schedules', () => {
  it('σ_max = min(1, (1 − α_s) / α_t)', () => {
    expect(remaskSigmaMax(0.5, 0.75)).toBe(0.5);
    expect(remaskSigmaMax(0.1, 0.2)).toBe(1);
    expect(remaskSigmaMax(0, 0.1)).toBe(1);
    expect(remaskSigmaMax(0.9, 1)).toBe(0);
  });
  it('cap = min(η, σ_max); rescale = η · σ_max', () => {
    expect(remaskSigma('cap', 0.1, 0.5, 0.75)).toBe(0.1);
    expect(remaskSigma('cap', 0.8, 0.5, 0.75)).toBe(0.5);
    expect(remaskSigma('rescale', 0.1, 0.5, 0.75)).toBeCloseTo(0.05, 15);
  });
  it('is 0 on the last step', () => {
    expect(remaskSigma('cap', 1, 0.9, 1)).toBe(0);
    expect(remaskSigma('rescale', 1, 0.9, 1)).toBe(0);
  });
});

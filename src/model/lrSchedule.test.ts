import { describe, expect, it } from 'vitest';
import { learningRateAt } from './lrSchedule';

describe('learningRateAt', () => {
  const s = { peak: 1e-3, warmupSteps: 10, totalSteps: 110, floor: 1e-4 };

  it('warms up linearly from peak/warmup to peak', () => {
    expect(learningRateAt(0, s)).toBeCloseTo(1e-4, 15);
    expect(learningRateAt(4, s)).toBeCloseTo(5e-4, 15);
    expect(learningRateAt(9, s)).toBeCloseTo(1e-3, 15);
  });

  it('decays along a cosine from peak to the floor', () => {
    expect(learningRateAt(10, s)).toBeCloseTo(1e-3, 15);
    // Halfway (p = 1/2): cos(π/2) = 0, the mean of peak and floor.
    expect(learningRateAt(60, s)).toBeCloseTo(5.5e-4, 15);
    // p = 1/4: floor + 0.9e-3 · ½(1 + √2/2).
    expect(learningRateAt(35, s)).toBeCloseTo(1e-4 + 0.9e-3 * 0.5 * (1 + Math.SQRT1_2), 15);
    expect(learningRateAt(110, s)).toBe(1e-4);
    expect(learningRateAt(10_000, s)).toBe(1e-4);
  });

  it('never rises after the warm-up', () => {
    let last = Infinity;
    for (let step = 10; step <= 120; step++) {
      const lr = learningRateAt(step, s);
      expect(lr).toBeLessThanOrEqual(last);
      last = lr;
    }
  });

  it('works without warm-up and refuses impossible schedules', () => {
    expect(learningRateAt(0, { ...s, warmupSteps: 0 })).toBeCloseTo(1e-3, 15);
    expect(() => learningRateAt(0, { ...s, floor: 2e-3 })).toThrow(/floor/);
    expect(() => learningRateAt(0, { ...s, totalSteps: 5 })).toThrow(/totalSteps/);
    expect(() => learningRateAt(0, { ...s, peak: 0 })).toThrow(/peak/);
  });
});

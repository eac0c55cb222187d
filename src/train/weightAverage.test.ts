import { describe, expect, it } from 'vitest';
import { WeightAverage } from './weightAverage';

describe('WeightAverage', () => {
  it('starts at the first weights, then keeps 0.5^(every / halfLife) of itself per update', () => {
    const avg = new WeightAverage(2, 1);
    expect(avg.keep).toBeCloseTo(Math.SQRT1_2, 12);
    expect(avg.weights()).toBeNull();
    avg.update(Float32Array.from([0, 4]));
    expect([...avg.weights()!]).toEqual([0, 4]);
    avg.update(Float32Array.from([1, 0]));
    // 0 + (1 − 0.70711)·(1 − 0) = 0.29289;  4 + (1 − 0.70711)·(0 − 4) = 2.82843
    const [a, b] = avg.weights()!;
    expect(a).toBeCloseTo(0.29289, 5);
    expect(b).toBeCloseTo(2.82843, 5);
    // Two updates of every 1 with halfLife 2: the first weights count 0.5 after them.
    avg.update(Float32Array.from([1, 0]));
    expect(avg.weights()![1]).toBeCloseTo(2, 5);
  });

  it('is due every `every` steps, leaves out weights that are not finite, and restores', () => {
    const avg = new WeightAverage(100, 10);
    expect([9, 10, 11, 20].map((s) => avg.due(s))).toEqual([false, true, false, true]);
    avg.update(Float32Array.from([1, 2]));
    avg.update(Float32Array.from([NaN, 2]));
    expect([...avg.weights()!]).toEqual([1, 2]);
    // A checkpoint's saved average comes back as a copy; null forgets it.
    const saved = Float32Array.from([3, 4]);
    avg.restore(saved);
    saved[0] = 99;
    expect([...avg.weights()!]).toEqual([3, 4]);
    avg.restore(null);
    expect(avg.weights()).toBeNull();
    expect(() => new WeightAverage(0, 1)).toThrow(/halfLife/);
  });
});

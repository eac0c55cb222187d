import { describe, expect, it } from 'vitest';
import { RunningMoments } from './runningMoments';

describe('RunningMoments', () => {
  it('matches the two-pass mean and sample variance', () => {
    const m = new RunningMoments();
    for (const x of [2, 4, 4, 4, 5, 5, 7, 9]) m.push(x);
    // Σ(x − 5)² = 9 + 1 + 1 + 1 + 0 + 0 + 4 + 16 = 32, over n − 1 = 7.
    expect(m.summary()).toEqual({ count: 8, mean: 5, variance: 32 / 7 });
  });

  it('has no mean when empty and no variance from one sample', () => {
    const m = new RunningMoments();
    expect(m.mean).toBeNaN();
    m.push(3);
    expect(m.mean).toBe(3);
    expect(m.variance).toBe(0);
  });

  it('keeps a tiny variance next to a large mean', () => {
    const m = new RunningMoments();
    for (const x of [1e9 + 1, 1e9 + 2, 1e9 + 3]) m.push(x);
    expect(m.variance).toBeCloseTo(1, 9);
  });
});

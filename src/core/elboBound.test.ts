import { describe, expect, it } from 'vitest';
import { integrateMidpoint, midpointGrid, perplexityBound } from './elboBound';

describe('the ELBO bound from a loss curve', () => {
  it('samples t at the midpoints of equal slices of (0, 1)', () => {
    expect(midpointGrid(4)).toEqual([0.125, 0.375, 0.625, 0.875]);
    expect(midpointGrid(1)).toEqual([0.5]);
    expect(() => midpointGrid(0)).toThrow(RangeError);
  });

  it('integrates by the midpoint rule', () => {
    // f(t) = t² known exactly at each midpoint: (0.125² + 0.375² + 0.625² + 0.875²) / 4
    // = 1.3125 / 4 = 0.328125 (the exact integral is 1/3).
    const bins = midpointGrid(4).map((t) => ({ count: 1, mean: t * t, variance: 0 }));
    const { value, standardError } = integrateMidpoint(bins);
    expect(value).toBeCloseTo(0.328125, 15);
    expect(standardError).toBe(0);
  });

  it('propagates each bin’s Monte Carlo error', () => {
    // variances 4/16 and 9/9 over 2 bins: sqrt(0.25 + 1) / 2 = 0.5590…
    const { value, standardError } = integrateMidpoint([
      { count: 16, mean: 1, variance: 4 },
      { count: 9, mean: 3, variance: 9 },
    ]);
    expect(value).toBe(2);
    expect(standardError).toBeCloseTo(Math.sqrt(1.25) / 2, 15);
    expect(() => integrateMidpoint([{ count: 0, mean: NaN, variance: 0 }])).toThrow(RangeError);
  });

  it('turns nats per token into a perplexity bound', () => {
    expect(perplexityBound(Math.log(2))).toBeCloseTo(2, 15);
    expect(perplexityBound(0)).toBe(1);
  });
});

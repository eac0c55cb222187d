import { describe, expect, it } from 'vitest';
import { callsPerSecond, mean, median, quantile, summarize } from './stats';

describe('bench statistics', () => {
  it('takes the middle value of an odd sample and the mean of the two middle ones of an even one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });

  it('interpolates quantiles linearly between order statistics', () => {
    // Sorted 10, 20, 30, 40, 50: q = 0.1 sits at position 0.4, between 10 and 20.
    const s = [50, 10, 40, 20, 30];
    expect(quantile(s, 0)).toBe(10);
    expect(quantile(s, 1)).toBe(50);
    expect(quantile(s, 0.1)).toBeCloseTo(14, 12);
    expect(quantile(s, 0.9)).toBeCloseTo(46, 12);
    expect(quantile(s, 0.5)).toBe(30);
  });

  it('does not reorder the caller’s array', () => {
    const s = [3, 1, 2];
    median(s);
    expect(s).toEqual([3, 1, 2]);
  });

  it('summarizes a sample with a stray slow value without letting it move the median', () => {
    const s = summarize([1, 1, 1, 1, 100]);
    expect(s).toMatchObject({ n: 5, median: 1, p10: 1, mean: 20.8, min: 1, max: 100 });
    // p90 sits at position 0.9·4 = 3.6: 1 + 0.6·(100 − 1).
    expect(s.p90).toBeCloseTo(60.4, 12);
  });

  it('refuses empty samples, non-finite values and bad quantiles', () => {
    expect(() => median([])).toThrow(/empty/);
    expect(() => mean([1, NaN])).toThrow(/finite/);
    expect(() => quantile([1], 1.5)).toThrow(/\[0, 1\]/);
  });

  it('converts milliseconds per call to calls per second', () => {
    expect(callsPerSecond(4)).toBe(250);
    expect(callsPerSecond(0.5)).toBe(2000);
    expect(() => callsPerSecond(0)).toThrow(/positive/);
  });
});

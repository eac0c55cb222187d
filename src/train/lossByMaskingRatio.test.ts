import { describe, expect, it } from 'vitest';
import {
  addStepRows,
  bucketOf,
  checkLossByRatio,
  emptyLossByRatio,
  ratioBuckets,
} from './lossByMaskingRatio';

describe('the loss by masking ratio', () => {
  it('puts t into ten equal buckets, 1 in the last', () => {
    expect([0, 0.0999, 0.1, 0.55, 0.999, 1].map((t) => bucketOf(t, 10))).toEqual([
      0, 0, 1, 5, 9, 9,
    ]);
  });

  it('averages each bucket with bias correction (hand-computed, β = 0.5)', () => {
    // Batch of 4: a row's loss is its share × 4 → 0.4, 0.8, 1.2, 0.2.
    let s = addStepRows(emptyLossByRatio(10), [0.05, 0.55, 0.07, 1], [0.1, 0.2, 0.3, 0.05], 0.5);
    let b = ratioBuckets(s);
    // Bucket 0: 0.4, then 1.2: (0.5·0.5·0.4 + 0.5·1.2) / (1 − 0.5²) = 0.7 / 0.75.
    expect(b[0].loss).toBeCloseTo(0.7 / 0.75, 12);
    expect(b[0].rows).toBe(2);
    expect(b[5].loss).toBeCloseTo(0.8, 12);
    expect(b[9].loss).toBeCloseTo(0.2, 12);
    expect(b.filter((x) => x.loss === null)).toHaveLength(7);
    expect(b[3]).toEqual({ lo: 0.3, hi: 0.4, loss: null, rows: 0 });
    // A next step of one row (t = 0.95, share 0.6 → loss 0.6): (0.25·0.2 + 0.5·0.6) / 0.75.
    s = addStepRows(s, [0.95], [0.6], 0.5);
    b = ratioBuckets(s);
    expect(b[9].loss).toBeCloseTo(0.35 / 0.75, 12);
    expect(b[9].rows).toBe(2);
  });

  it('shows a constant loss exactly from the first row, and skips non-finite rows', () => {
    let s = emptyLossByRatio();
    for (let i = 0; i < 3; i++) s = addStepRows(s, [0.42, 0.43], [1, 1]);
    s = addStepRows(s, [0.44, NaN], [Infinity, 1]);
    expect(ratioBuckets(s)[4]).toMatchObject({ rows: 6 });
    expect(ratioBuckets(s)[4].loss).toBeCloseTo(2, 12);
  });

  it('does not change the state it was given', () => {
    const s = emptyLossByRatio(2);
    addStepRows(s, [0.2], [1]);
    expect(s).toEqual(emptyLossByRatio(2));
  });

  it('refuses mismatched rows and broken stored states', () => {
    expect(() => addStepRows(emptyLossByRatio(), [0.5], [1, 2])).toThrow(/1 masking ratios/);
    expect(() => emptyLossByRatio(0)).toThrow(/buckets/);
    expect(() => checkLossByRatio({ average: [1], weight: [1, 2], rows: [1] })).toThrow(/differ/);
    expect(() => checkLossByRatio({ average: [NaN], weight: [1], rows: [1] })).toThrow(/finite/);
    const s = addStepRows(emptyLossByRatio(3), [0.5], [2]);
    expect(checkLossByRatio(structuredClone(s))).toEqual(s);
  });
});

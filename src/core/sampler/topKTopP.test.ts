import { describe, expect, it } from 'vitest';
import { filterTopK, filterTopP } from './topKTopP';

const kept = (row: Float64Array) => Array.from(row.keys()).filter((v) => row[v] > -Infinity);

describe('top-p', () => {
  // probabilities 0.5, 0.3, 0.15, 0.05 (token 2 is the least likely after reordering)
  const logits = () => Float64Array.from([0.5, 0.3, 0.05, 0.15].map(Math.log));
  it('keeps the smallest set of most probable tokens whose mass ≥ p', () => {
    expect(kept(filterTopP(logits(), 0.45))).toEqual([0]);
    expect(kept(filterTopP(logits(), 0.75))).toEqual([0, 1]);
    expect(kept(filterTopP(logits(), 0.85))).toEqual([0, 1, 3]);
    expect(kept(filterTopP(logits(), 0.97))).toEqual([0, 1, 2, 3]);
    expect(kept(filterTopP(logits(), 1))).toEqual([0, 1, 2, 3]);
  });
  it('keeps the kept logits unchanged', () => {
    const row = filterTopP(logits(), 0.75);
    expect(row[0]).toBe(Math.log(0.5));
    expect(row[1]).toBe(Math.log(0.3));
  });
  it('rejects p outside (0, 1]', () => {
    expect(() => filterTopP(logits(), 0)).toThrow(/topP/);
  });
});

describe('top-k', () => {
  it('keeps the k largest', () => {
    expect(kept(filterTopK(Float64Array.from([1, 4, 2, 3]), 2))).toEqual([1, 3]);
    expect(kept(filterTopK(Float64Array.from([1, 4, 2, 3]), 9))).toEqual([0, 1, 2, 3]);
  });
  it('keeps ties at the boundary, as Dream does', () => {
    expect(kept(filterTopK(Float64Array.from([1, 3, 2, 2]), 2))).toEqual([1, 2, 3]);
  });
});

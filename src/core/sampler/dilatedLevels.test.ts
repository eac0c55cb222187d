import { describe, expect, it } from 'vitest';
import { dilatedLevels, remasksAfterLevel } from './dilatedLevels';

describe('DUS dilated levels', () => {
  it('halves the stride: B = 16, base 2', () => {
    expect(dilatedLevels(16, 2, 1)).toEqual([
      [0, 8],
      [4, 12],
      [2, 6, 10, 14],
      [1, 3, 5, 7, 9, 11, 13, 15],
    ]);
  });

  it('puts what no stride reaches in one last level: B = 12 base 2, B = 16 base 3', () => {
    expect(dilatedLevels(12, 2, 1)).toEqual([
      [0, 6],
      [3, 9],
      [1, 2, 4, 5, 7, 8, 10, 11],
    ]);
    expect(dilatedLevels(16, 3, 1).map((l) => l.length)).toEqual([4, 12]);
    expect(dilatedLevels(16, 3, 1)[0]).toEqual([0, 5, 10, 15]);
  });

  it('B = 32 gives 2, 2, 4, 8, 16 positions', () => {
    expect(dilatedLevels(32, 2, 1).map((l) => l.length)).toEqual([2, 2, 4, 8, 16]);
  });

  it('merges a last level shorter than the one before: B = 5 is one level', () => {
    expect(dilatedLevels(5, 2, 1)).toEqual([[0, 2, 4, 1, 3]]);
    expect(dilatedLevels(5, 2, 1, false)).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
  });

  it('base 1 is one level; base_skip sets the first stride', () => {
    expect(dilatedLevels(4, 1, 1)).toEqual([[0, 1, 2, 3]]);
    // stride ⌊16 / 2²⌋ = 4 first.
    expect(dilatedLevels(16, 2, 2)[0]).toEqual([0, 4, 8, 12]);
    // Every offset in exactly one level.
    for (const b of [1, 2, 3, 7, 8, 24, 31]) {
      expect(
        dilatedLevels(b, 2, 1)
          .flat()
          .sort((x, y) => x - y),
      ).toEqual(Array.from({ length: b }, (_, i) => i));
    }
  });

  it('remasks after every level but the last', () => {
    expect([0, 1, 2].map((l) => remasksAfterLevel(l, 3))).toEqual([true, true, false]);
  });
});

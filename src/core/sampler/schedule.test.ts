import { describe, expect, it } from 'vitest';
import { articleCount, dreamTimesteps, dreamTransferCount, evenSplitSchedule } from './schedule';

/** Dream's counts when every scheduled commit succeeds: m masks over `steps` calls. */
function dreamCounts(masks: number, steps: number): number[] {
  const ts = dreamTimesteps(steps);
  const counts: number[] = [];
  for (let i = 0; i < steps; i++) {
    const k = dreamTransferCount(masks, i, ts);
    counts.push(k);
    masks -= k;
  }
  return counts;
}

describe('evenSplitSchedule (LLaDA)', () => {
  it('gives the first m mod s steps one more', () => {
    expect(evenSplitSchedule(12, 5)).toEqual([3, 3, 2, 2, 2]);
    expect(evenSplitSchedule(16, 4)).toEqual([4, 4, 4, 4]);
    expect(evenSplitSchedule(3, 5)).toEqual([1, 1, 1, 0, 0]);
    expect(evenSplitSchedule(0, 3)).toEqual([0, 0, 0]);
  });
  it('refuses nonsense', () => {
    expect(() => evenSplitSchedule(4, 0)).toThrow(/steps/);
    expect(() => evenSplitSchedule(-1, 2)).toThrow(/mask count/);
  });
});

describe('Dream float32 schedule', () => {
  it('spans 1 to eps in float32', () => {
    const ts = dreamTimesteps(8);
    expect(ts.length).toBe(9);
    expect(ts[0]).toBe(1);
    expect(ts[8]).toBe(Math.fround(1e-3));
    // t_1 = 1 − 0.999/8 = 0.875125, rounded to float32
    expect(ts[1]).toBe(Math.fround(0.875125));
  });
  it('truncates: 24 tokens in 7 steps → 3, 3, 3, 3, 3, 4, 5', () => {
    expect(dreamCounts(24, 7)).toEqual([3, 3, 3, 3, 3, 4, 5]);
  });
  it('with steps == length the first step commits 0 and the last 2', () => {
    // 16 · (1 − t_1/t_0) = 16 · 0.999/16 = 0.999 → 0
    const counts = dreamCounts(16, 16);
    expect(counts[0]).toBe(0);
    expect(counts.at(-1)).toBe(2);
    expect(counts.slice(1, -1).every((k) => k === 1)).toBe(true);
  });
  it('commits every remaining mask on the last step', () => {
    const ts = dreamTimesteps(4);
    expect(dreamTransferCount(7, 3, ts)).toBe(7);
  });
});

describe('articleCount', () => {
  it('reproduces the article table: 6 tokens, 3 steps → 2, 2, 2', () => {
    expect([articleCount(6, 3), articleCount(4, 2), articleCount(2, 1)]).toEqual([2, 2, 2]);
  });
  it('commits at least one, at most what is masked', () => {
    expect(articleCount(2, 5)).toBe(1);
    expect(articleCount(0, 2)).toBe(0);
    expect(articleCount(7, 1)).toBe(7);
  });
});

import { describe, expect, it } from 'vitest';
import { lossSummary, lossTracking, planRounds } from './trainTiming';

const base = { maxSteps: 24, rounds: 3, budgetMs: 30_000, minSteps: 2 };

describe('planRounds', () => {
  it('times up to maxSteps in equal rounds when the trainer is fast', () => {
    expect(planRounds({ ...base, stepMs: 100 })).toEqual([8, 8, 8]);
  });

  it('times as many steps as fit into the budget', () => {
    // 30 s / 2.5 s = 12 steps, in 3 rounds of 4.
    expect(planRounds({ ...base, stepMs: 2_500 })).toEqual([4, 4, 4]);
    // 30 s / 4 s = 7 steps: rounds of 2, 2, 3 that add up.
    expect(planRounds({ ...base, stepMs: 4_000 })).toEqual([2, 2, 3]);
  });

  it('never times fewer than minSteps, one per round, however slow the trainer', () => {
    expect(planRounds({ ...base, stepMs: 25_000 })).toEqual([1, 1]);
    expect(planRounds({ ...base, minSteps: 3, stepMs: 60_000 })).toEqual([1, 1, 1]);
  });

  it('refuses counts that are not positive integers and times that are not positive', () => {
    expect(() => planRounds({ ...base, rounds: 0, stepMs: 1 })).toThrow(/rounds/);
    expect(() => planRounds({ ...base, stepMs: 0 })).toThrow(/positive/);
  });
});

describe('lossSummary', () => {
  it('gives the first and last loss of a run that stayed finite', () => {
    expect(lossSummary([5.1, 4.2, 3.3])).toEqual({ lossFirst: 5.1, lossLast: 3.3 });
  });

  it('counts NaN and infinite losses and names the first step that had one', () => {
    expect(lossSummary([5.1, 4.2, NaN, Infinity, NaN])).toEqual({
      lossFirst: 5.1,
      lossLast: null,
      nonFiniteLosses: 3,
      firstNonFiniteStep: 2,
    });
  });

  it('has no loss to give for an empty run', () => {
    expect(lossSummary([])).toEqual({ lossFirst: null, lossLast: null });
  });
});

describe('lossTracking', () => {
  it('is the largest relative difference over the steps both trainers ran', () => {
    expect(lossTracking([4, 3.3, 2.1], [4, 3, 2, 1.5])).toEqual({
      steps: 3,
      maxRelativeDifference: expect.closeTo(0.1, 12),
      worstStep: 1,
    });
  });

  it('counts a non-finite loss as an infinite difference', () => {
    expect(lossTracking([4, NaN], [4, 3])).toEqual({
      steps: 2,
      maxRelativeDifference: Infinity,
      worstStep: 1,
    });
  });

  it('is 0 at step 0 for identical runs', () => {
    expect(lossTracking([2, 1], [2, 1])).toEqual({
      steps: 2,
      maxRelativeDifference: 0,
      worstStep: 0,
    });
  });
});

import { describe, expect, it } from 'vitest';
import { GENERATION_BUDGET_MS, windowCostProblem } from './windowCost';

describe('the cost of a declared window', () => {
  it('accepts a window whose S = L generation fits the budget, up to the budget itself', () => {
    expect(windowCostProblem({ seqLen: 16, callMs: 2 })).toBeNull();
    expect(windowCostProblem({ seqLen: 1000, callMs: GENERATION_BUDGET_MS / 1000 })).toBeNull();
  });

  it('refuses one that does not, with the measured call, the estimate and the budget', () => {
    // The case: trained at 16, declared 4096, about 0.9 s a call on WASM.
    expect(windowCostProblem({ seqLen: 4096, callMs: 900 })).toBe(
      '"seqLen" is 4096: one model call on a window of 4096 tokens took 900 ms here, so a generation at S = L (4,096 calls) would take about 61 min; the page opens models whose S = L generation takes at most 2 min. If the model was trained on a shorter window, set "seqLen" to that length.',
    );
    expect(windowCostProblem({ seqLen: 1001, callMs: 120 })).toMatch(
      /took 120 ms here, so a generation at S = L \(1,001 calls\) would take about 2 min;/,
    );
  });
});

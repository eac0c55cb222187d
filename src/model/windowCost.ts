/**
 * What a package's declared window costs, measured rather than believed. A manifest's seqLen is
 * the L of every model call the page makes; a model trained at 16 that declares 4096 opens, and
 * then every call, warm-up and generation runs 4096 positions. One timed call at the declared
 * window (the load's test run) tells what a generation at S = L (the article's setting: one
 * call per position) would take; a package whose generation would not fit the budget is
 * refused with the figures.
 */

/** A generation at S = L must fit in this long on this machine (ms). */
export const GENERATION_BUDGET_MS = 120_000;

export interface WindowCost {
  seqLen: number;
  /** The measured time of one call on one window of seqLen tokens (ms). */
  callMs: number;
}

const seconds = (ms: number) =>
  ms < 1000
    ? `${Math.round(ms)} ms`
    : ms < 120_000
      ? `${(ms / 1000).toFixed(1)} s`
      : `${Math.round(ms / 60_000)} min`;

/** null when the window fits the budget, else why it does not, with the measured figures. */
export function windowCostProblem({ seqLen, callMs }: WindowCost): string | null {
  const generationMs = seqLen * callMs;
  if (!(generationMs > GENERATION_BUDGET_MS)) return null;
  return (
    `"seqLen" is ${seqLen}: one model call on a window of ${seqLen} tokens took ${seconds(callMs)} here, ` +
    `so a generation at S = L (${seqLen.toLocaleString('en')} calls) would take about ${seconds(generationMs)}; ` +
    `the page opens models whose S = L generation takes at most ${seconds(GENERATION_BUDGET_MS)}. ` +
    `If the model was trained on a shorter window, set "seqLen" to that length.`
  );
}

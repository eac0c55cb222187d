/**
 * Remasking of already committed tokens, after ReMDM (Wang et al. 2025). The time runs on the
 * linear schedule the article trains with, t_i = 1 − i/S, α = 1 − t (fraction unmasked). At call
 * i (t = t_i → s = t_{i+1}):
 *
 * 1. every committed, non-pinned token is sent back to [MASK] independently with probability
 *    σ_t (ReMDM-cap or ReMDM-rescale, see remaskSchedule.ts); the remasked tokens are not
 *    candidates in this call (in ReMDM a decoded token goes to itself or to [MASK]);
 * 2. the masked positions then commit their most confident predictions, as many as bring the mask
 *    count down to the plain schedule's target after this call (the even split of the initial
 *    masks over S steps). ReMDM's posterior keeps the marginal mask fraction at 1 − α_s in
 *    expectation; we hit that target exactly and choose by confidence, like the other strategies
 *    here, instead of choosing which masks to decode at random.
 *
 * σ = 0 at the last call (α_s = 1) and its target is 0, so the sequence always ends unmasked.
 */
import { maskedCandidates } from '../candidates';
import { remaskSigma } from '../remaskSchedule';
import { evenSplitSchedule } from '../schedule';
import { mostConfident } from '../select';
import { countMasked, type SamplerState } from '../state';
import { startAtFirstBlock, type Strategy } from './strategy';

/** Masks the plain schedule leaves after call i (0-based). */
function targetMasksAfter(state: SamplerState, steps: number, i: number): number {
  const schedule = evenSplitSchedule(state.initialMasked, steps);
  let left = state.initialMasked;
  for (let j = 0; j <= i; j++) left -= schedule[j];
  return left;
}

export const remdm: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'sampling',
  start: startAtFirstBlock,
  nominalTime: (state, options) => 1 - state.call / options.steps,
  decide(state, predictions, options, rng) {
    const S = options.steps;
    const i = state.call;
    const sigma = remaskSigma(options.remaskSchedule, options.remaskEta, i / S, (i + 1) / S);
    const remask: number[] = [];
    for (let p = 0; p < state.tokens.length; p++) {
      if (state.committedAt[p] < 0) continue;
      if (rng.uniform() < sigma) remask.push(p);
    }
    const candidates = maskedCandidates(state, state.tokens.length);
    const masked = countMasked(state);
    const target = targetMasksAfter(state, S, i);
    const k = Math.min(masked, Math.max(0, masked + remask.length - target));
    return {
      candidates,
      commit: mostConfident(candidates, predictions.confidence, k),
      remask,
      discardsGuesses: false,
    };
  },
  advance: (updated, options) => ({
    block: 0,
    stepInBlock: updated.call,
    blockSchedule: [],
    done: updated.call >= options.steps,
  }),
};

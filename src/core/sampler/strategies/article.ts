/**
 * The article's generate ("Generation — How Diffusion LLMs Write"): for s = S … 1 the model is
 * called with t = s/S, a token is sampled at every position, and the n = max(1, ⌊masked / s⌋)
 * most confident masked positions keep their token; the other guesses are thrown away
 * (remasked) and predicted again next step. At s = 1 everything left is committed.
 *
 * Two departures from the article's listing, both to match its worked table (6 tokens, 3 steps
 * commit 2, 2, 2): the listing sets the confidence of already-unmasked positions to +∞ before
 * its top-k, which would re-pick and overwrite them instead of committing new ones, so we rank
 * only masked positions; and it computes the count as int(masked · (1/s)) in float32, where we
 * use the exact ⌊masked / s⌋. (The prose "keep the top (1 − s/S)" would keep nothing at s = S;
 * the count keeps masked/s per step, i.e. 1 − (s − 1)/S of the tokens after step s.)
 */
import { maskedCandidates } from '../candidates';
import { articleCount } from '../schedule';
import { mostConfident } from '../select';
import { countMasked } from '../state';
import { startAtFirstBlock, type Strategy } from './strategy';

export const article: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'sampling',
  start: startAtFirstBlock,
  nominalTime: (state, options) => (options.steps - state.call) / options.steps,
  decide(state, predictions, options) {
    const candidates = maskedCandidates(state, state.tokens.length);
    const s = options.steps - state.call;
    const n = articleCount(countMasked(state), s);
    return {
      candidates,
      commit: mostConfident(candidates, predictions.confidence, n),
      remask: [],
      discardsGuesses: true,
    };
  },
  advance: (updated, options) => ({
    block: 0,
    stepInBlock: updated.call,
    blockSchedule: [],
    done: updated.call >= options.steps,
  }),
};

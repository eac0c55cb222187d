/**
 * Fast-dLLM's parallel decoding with a confidence threshold (NVlabs/Fast-dLLM llada/generate.py,
 * generate with `threshold`): same blocks and candidates as LLaDA; each call commits the most
 * confident candidate and every other candidate whose confidence is ≥ threshold, and a block
 * repeats calls until it has no masks left, so the number of calls depends on the model.
 */
import { maskedCandidates } from '../candidates';
import { byConfidence } from '../select';
import { blockCount, blockRange, countMasked } from '../state';
import { startAtFirstBlock, type Strategy } from './strategy';

export const fastdllmThreshold: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'model',
  start: startAtFirstBlock,
  nominalTime: () => null,
  decide(state, predictions, options) {
    const [, end] = blockRange(state, options, state.block);
    const candidates = maskedCandidates(state, end);
    const ranked = byConfidence(candidates, predictions.confidence);
    const commit = ranked.filter(
      (i, rank) => rank === 0 || predictions.confidence[i] >= options.threshold,
    );
    return { candidates, commit, remask: [], discardsGuesses: false };
  },
  advance(updated, options) {
    const [start, end] = blockRange(updated, options, updated.block);
    if (countMasked(updated, start, end) > 0) {
      return {
        block: updated.block,
        stepInBlock: updated.stepInBlock + 1,
        blockSchedule: [],
        done: false,
      };
    }
    const block = updated.block + 1;
    return {
      block,
      stepInBlock: 0,
      blockSchedule: [],
      done: block >= blockCount(updated, options),
    };
  },
};

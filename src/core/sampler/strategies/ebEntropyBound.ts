/**
 * The EB-Sampler (entropy-bounded unmasking, Ben-Hamu et al. 2025, arXiv 2505.24857), as shipped
 * in omerlux/DUS `generate.py`, `generate_eb_sampler`: blocks after the prompt, at most
 * steps / blocks calls each. Every call ranks the block's masked positions by entropy (bits,
 * lowest first) and commits the first k, where a candidate is taken while the entropies of the
 * candidates before it sum to at most γ bits (entropyBound.ts), at least one. The number of calls
 * depends on the model; a block that runs out of calls keeps its masks (no later block fills them).
 */
import { maskedCandidates } from '../candidates';
import { entropyBoundCount } from '../entropyBound';
import { byConfidence } from '../select';
import { blockRange, countMasked, stepsPerBlock } from '../state';
import { firstBlockWithMasks, nextStepInBlock } from './blockEntry';
import type { Strategy } from './strategy';

export const ebEntropyBound: Strategy = {
  // −H in bits: higher is surer, so ranking by it is ranking by entropy ascending.
  confidenceRule: 'negEntropyBits',
  confidenceSource: 'sampling',
  nominalTime: () => null,
  start: (state, options) => firstBlockWithMasks(state, options, 0),
  decide(state, predictions, options) {
    const [start, end] = blockRange(state, options, state.block);
    const candidates = maskedCandidates(state, end, start);
    const ranked = byConfidence(candidates, predictions.confidence);
    const entropies = ranked.map((i) => -predictions.confidence[i]);
    const k = entropyBoundCount(entropies, options.entropyBound);
    return { candidates, commit: ranked.slice(0, k), remask: [], discardsGuesses: false };
  },
  advance(updated, options) {
    const [start, end] = blockRange(updated, options, updated.block);
    const budget = stepsPerBlock(updated, options);
    if (updated.stepInBlock + 1 < budget && countMasked(updated, start, end) > 0) {
      return nextStepInBlock(updated);
    }
    return firstBlockWithMasks(updated, options, updated.block + 1);
  },
};

/**
 * LLaDA2.0's sampler (ZHZisZZ/dllm, dllm/pipelines/llada2/sampler.py, LLaDA2Sampler.sample):
 * blocks aligned to position 0 of the window (the prompt lies inside them), processed left to
 * right over a block-causal prefix: each call gives the model only x[0 : end of the block]. At
 * step t of a block it commits every masked position of the block whose confidence is strictly
 * above the threshold, provided there are at least sched[t] of them; otherwise the sched[t] most
 * confident (the floor). sched is the even split of the block size over the steps per block
 * (`steps` here; llada2StepsPerBlock applies upstream's minimal_topk cap), fixed once from B. A
 * block with no mask left ends without a call.
 */
import { maskedCandidates } from '../candidates';
import { llada2FloorSchedule, thresholdOrFloor } from '../llada2Rules';
import { blockRange, countMasked, effectiveBlockLength } from '../state';
import { firstBlockWithMasks, nextStepInBlock } from './blockEntry';
import type { Strategy } from './strategy';

export const llada2Threshold: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'model',
  nominalTime: () => null,
  inputLength: (state, options) => blockRange(state, options, state.block)[1],
  start(state, options) {
    const size = effectiveBlockLength(state, options);
    const schedule = llada2FloorSchedule(size, options.steps);
    return firstBlockWithMasks(state, options, Math.floor(state.promptLength / size), schedule);
  },
  decide(state, predictions, options) {
    const [start, end] = blockRange(state, options, state.block);
    const candidates = maskedCandidates(state, end, start);
    const floor = state.blockSchedule[state.stepInBlock] ?? 0;
    const { commit } = thresholdOrFloor(
      candidates,
      predictions.confidence,
      options.threshold,
      floor,
    );
    return { candidates, commit, remask: [], discardsGuesses: false };
  },
  advance(updated, options) {
    const [start, end] = blockRange(updated, options, updated.block);
    if (updated.stepInBlock + 1 < options.steps && countMasked(updated, start, end) > 0) {
      return nextStepInBlock(updated);
    }
    return firstBlockWithMasks(updated, options, updated.block + 1, updated.blockSchedule);
  },
};

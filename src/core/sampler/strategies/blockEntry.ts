/**
 * Entering the next block for the newer block samplers: a block with no mask left ends before
 * any call (LLaDA2.0's and the EB-Sampler's step 1), so the run moves on to the first block from
 * `from` that still has masks, or is done.
 */
import type { ResolvedSamplerOptions } from '../options';
import { blockCount, blockRange, countMasked, type SamplerState } from '../state';
import type { Progress } from './strategy';

export function firstBlockWithMasks(
  state: SamplerState,
  options: ResolvedSamplerOptions,
  from: number,
  schedule: readonly number[] = [],
): Progress {
  const count = blockCount(state, options);
  for (let b = from; b < count; b++) {
    const [start, end] = blockRange(state, options, b);
    if (countMasked(state, start, end) > 0) {
      return { block: b, stepInBlock: 0, blockSchedule: schedule, postSteps: 0, done: false };
    }
  }
  return { block: count, stepInBlock: 0, blockSchedule: [], postSteps: 0, done: true };
}

/** Stay in the current block for one more call. */
export function nextStepInBlock(state: SamplerState): Progress {
  return {
    block: state.block,
    stepInBlock: state.stepInBlock + 1,
    blockSchedule: state.blockSchedule,
    postSteps: state.postSteps,
    done: false,
  };
}

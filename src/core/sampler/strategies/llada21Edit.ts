/**
 * LLaDA2.1's sampler (ZHZisZZ/dllm, dllm/pipelines/llada21/sampler.py, LLaDA21Sampler.sample):
 * LLaDA2.0's blocks and prefix calls, unmasking with a fixed floor (`numToTransfer`) instead of
 * a schedule, plus **editing**: in every call, a token already placed in the current block (not
 * one unmasked by this call, never the prompt or a pinned word) is rewritten when the model's
 * argmax there differs from it with confidence strictly above `editThreshold`.
 *
 * A block goes on after its last mask is filled ("post" steps) while the calls still edit: a step
 * begun with no mask increments post, and is made only while post ≤ maxPostSteps; a call with no
 * mask and no edit ends the block. So the number of calls depends on the model.
 */
import { maskedCandidates } from '../candidates';
import { editedPositions, postStepAllowed, thresholdOrFloor } from '../llada2Rules';
import type { ResolvedSamplerOptions } from '../options';
import {
  blockCount,
  blockRange,
  countMasked,
  effectiveBlockLength,
  type SamplerState,
} from '../state';
import { nextStepInBlock } from './blockEntry';
import type { Progress, Strategy } from './strategy';

/** The first block from `from` that makes a call: one with masks, or one allowed a post step. */
function enterBlock(state: SamplerState, options: ResolvedSamplerOptions, from: number): Progress {
  const count = blockCount(state, options);
  for (let b = from; b < count; b++) {
    const [start, end] = blockRange(state, options, b);
    if (countMasked(state, start, end) > 0) {
      return { block: b, stepInBlock: 0, blockSchedule: [], postSteps: 0, done: false };
    }
    if (postStepAllowed(1, options.maxPostSteps)) {
      return { block: b, stepInBlock: 0, blockSchedule: [], postSteps: 1, done: false };
    }
  }
  return { block: count, stepInBlock: 0, blockSchedule: [], postSteps: 0, done: true };
}

export const llada21Edit: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'model',
  nominalTime: () => null,
  inputLength: (state, options) => blockRange(state, options, state.block)[1],
  start: (state, options) =>
    enterBlock(
      state,
      options,
      Math.floor(state.promptLength / effectiveBlockLength(state, options)),
    ),
  decide(state, predictions, options) {
    const [start, end] = blockRange(state, options, state.block);
    const candidates = maskedCandidates(state, end, start);
    const commit = candidates.includes(1)
      ? thresholdOrFloor(
          candidates,
          predictions.confidence,
          options.threshold,
          options.numToTransfer,
        ).commit
      : [];
    const edit = editedPositions(state, predictions, start, end, options.editThreshold);
    return { candidates, commit, remask: [], discardsGuesses: false, edit };
  },
  advance(updated, options, { decision }) {
    const hadMasks = decision.candidates.includes(1);
    if (!hadMasks && (decision.edit?.length ?? 0) === 0) {
      return enterBlock(updated, options, updated.block + 1);
    }
    const [start, end] = blockRange(updated, options, updated.block);
    if (countMasked(updated, start, end) > 0) return nextStepInBlock(updated);
    const post = updated.postSteps + 1;
    if (!postStepAllowed(post, options.maxPostSteps)) {
      return enterBlock(updated, options, updated.block + 1);
    }
    return { ...nextStepInBlock(updated), postSteps: post };
  },
};

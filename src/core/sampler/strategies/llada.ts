/**
 * LLaDA's generate (ML-GSAI/LLaDA generate.py): semi-autoregressive blocks, a fixed number of
 * commits per step (the even split fixed at block start), candidates are the masked positions
 * up to the end of the current block. 'low_confidence' ranks them by the probability of the
 * predicted token, 'random' by a uniform draw.
 */
import { maskedCandidates } from '../candidates';
import type { ConfidenceRule } from '../confidence';
import { mostConfident } from '../select';
import { blockCount, blockRange, scheduleForBlock, stepsPerBlock } from '../state';
import { startAtFirstBlock, type Strategy } from './strategy';

function lladaStrategy(rule: ConfidenceRule): Strategy {
  return {
    confidenceRule: rule,
    confidenceSource: 'model',
    start: startAtFirstBlock,
    nominalTime: () => null,
    decide(state, predictions, options) {
      const [, end] = blockRange(state, options, state.block);
      const candidates = maskedCandidates(state, end);
      const k = state.blockSchedule[state.stepInBlock] ?? 0;
      return {
        candidates,
        commit: mostConfident(candidates, predictions.confidence, k),
        remask: [],
        discardsGuesses: false,
      };
    },
    advance(updated, options) {
      const stepInBlock = updated.stepInBlock + 1;
      if (stepInBlock < stepsPerBlock(updated, options)) {
        return {
          block: updated.block,
          stepInBlock,
          blockSchedule: updated.blockSchedule,
          done: false,
        };
      }
      const block = updated.block + 1;
      const done = block >= blockCount(updated, options);
      return {
        block,
        stepInBlock: 0,
        blockSchedule: done ? [] : scheduleForBlock(updated, options, block),
        done,
      };
    },
  };
}

export const lladaLowConfidence = lladaStrategy('probability');
export const lladaRandom = lladaStrategy('random');

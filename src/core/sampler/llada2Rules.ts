/**
 * The rules LLaDA2.0 and LLaDA2.1 share (ZHZisZZ/dllm, dllm/pipelines/llada2 and llada21,
 * `sample`; shared/golden/README.md gives them exactly): the steps per block, the floor
 * schedule, the threshold-or-floor unmasking, 2.1's editing and its post-step bound. Separate
 * functions so that each rule is tested on its own and a deliberately wrong one can be swapped
 * in (goldenVariants.test.ts).
 */
import { evenSplitSchedule } from './schedule';
import { byConfidence, candidatePositions } from './select';
import type { Predictions } from './predict';
import { isMasked, type SamplerState } from './state';

/**
 * Effective steps per block: min(steps_per_block, ⌊L / minimal_topk⌋) when minimal_topk > 0,
 * else steps_per_block (L = max_new_tokens). L = 20, minimal_topk = 4, 8 steps → 5.
 */
export function llada2StepsPerBlock(
  stepsPerBlock: number,
  maxNewTokens: number,
  minimalTopK: number,
): number {
  if (minimalTopK <= 0) return stepsPerBlock;
  return Math.min(stepsPerBlock, Math.floor(maxNewTokens / minimalTopK));
}

/**
 * The floor schedule, fixed once from the block size B (not from a block's masks) and s steps:
 * ⌊B / s⌋ each, one more for the first B mod s (28 over 8: 4, 4, 4, 4, 3, 3, 3, 3); 0 for the
 * tail when s > B.
 */
export function llada2FloorSchedule(blockSize: number, steps: number): number[] {
  return evenSplitSchedule(blockSize, steps);
}

/**
 * LLaDA2's unmasking: the candidates with confidence strictly above the threshold when there are
 * at least `floor` of them (possibly more, possibly none when floor is 0), otherwise the
 * min(floor, candidates) most confident. `path` says which branch decided.
 */
export function thresholdOrFloor(
  candidates: Uint8Array,
  confidence: ArrayLike<number>,
  threshold: number,
  floor: number,
): { commit: number[]; path: 'threshold' | 'floor' } {
  const high = candidatePositions(candidates).filter((i) => confidence[i] > threshold);
  if (high.length >= floor) return { commit: high, path: 'threshold' };
  return { commit: byConfidence(candidates, confidence).slice(0, floor), path: 'floor' };
}

/**
 * LLaDA2.1's editing: positions of [start, end) that held a token before this call (not masked,
 * not pinned: the prompt and pinned words are never edited) whose prediction differs from that
 * token with confidence strictly above the editing threshold.
 */
export function editedPositions(
  state: SamplerState,
  predictions: Pick<Predictions, 'prediction' | 'confidence'>,
  start: number,
  end: number,
  editThreshold: number,
): number[] {
  const out: number[] = [];
  for (let i = start; i < end; i++) {
    if (state.pinned[i] || isMasked(state, i)) continue;
    if (
      predictions.confidence[i] > editThreshold &&
      predictions.prediction[i] !== state.tokens[i]
    ) {
      out.push(i);
    }
  }
  return out;
}

/** LLaDA2.1: a step with no mask left may call the model while post ≤ max_post_steps. */
export function postStepAllowed(post: number, maxPostSteps: number): boolean {
  return post <= maxPostSteps;
}

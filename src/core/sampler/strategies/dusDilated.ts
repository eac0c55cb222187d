/**
 * DUS's dilated unmasking schedule (omerlux/DUS `generate.py`, `generate_scheduled` with
 * scheduler "dilated"): a model-free order. Each block after the prompt is cut into dilated
 * levels (dilatedLevels.ts: strides halving, so each level's positions are spread over the
 * block); one call per level writes the argmax at every masked position of the level. With
 * `dusRemasking: 'low_confidence'`, after every level but a block's last, the tokens just placed
 * whose probability is below `dusThreshold` are taken back to [MASK], and they stay masked: no
 * later level or block schedules them again. The number of calls is fixed by the levels.
 */
import { dilatedLevels, remasksAfterLevel } from '../dilatedLevels';
import type { ResolvedSamplerOptions } from '../options';
import {
  blockCount,
  blockRange,
  countMasked,
  effectiveBlockLength,
  type SamplerState,
} from '../state';
import type { Strategy } from './strategy';

function levelsOf(state: SamplerState, options: ResolvedSamplerOptions): number[][] {
  return dilatedLevels(effectiveBlockLength(state, options), options.dusBase, options.dusBaseSkip);
}

/** Model calls of a whole run: blocks × levels per block (none once nothing is masked). */
export function dusCallCount(state: SamplerState, options: ResolvedSamplerOptions): number {
  return blockCount(state, options) * levelsOf(state, options).length;
}

export const dusDilated: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'model',
  nominalTime: () => null,
  start: (state) => ({
    block: 0,
    stepInBlock: 0,
    blockSchedule: [],
    done: countMasked(state) === 0,
  }),
  decide(state, predictions, options) {
    const levels = levelsOf(state, options);
    const [start] = blockRange(state, options, state.block);
    const candidates = new Uint8Array(state.tokens.length);
    for (const o of levels[state.stepInBlock]) {
      const i = start + o;
      if (!state.pinned[i] && state.tokens[i] === state.maskId) candidates[i] = 1;
    }
    const placed = levels[state.stepInBlock].map((o) => start + o).filter((i) => candidates[i]);
    const remasks =
      options.dusRemasking === 'low_confidence' &&
      remasksAfterLevel(state.stepInBlock, levels.length);
    const low = (i: number) => remasks && predictions.confidence[i] < options.dusThreshold;
    return {
      candidates,
      commit: placed.filter((i) => !low(i)),
      remask: [],
      discardsGuesses: false,
      discard: placed.filter(low),
    };
  },
  advance(updated, options) {
    const levels = levelsOf(updated, options).length;
    const last = updated.stepInBlock + 1 >= levels;
    const block = last ? updated.block + 1 : updated.block;
    return {
      block,
      stepInBlock: last ? 0 : updated.stepInBlock + 1,
      blockSchedule: [],
      done: block >= blockCount(updated, options) || countMasked(updated) === 0,
    };
  },
};

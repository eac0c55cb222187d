/**
 * Dream's _sample (as in NVlabs/Fast-dLLM dream/model/generation_utils.py): one block, exactly
 * `steps` calls on float32 timesteps from 1 to eps; step i commits trunc(m · (1 − t_{i+1}/t_i))
 * of the m masked positions (float32), the last step all of them. The three algorithms differ
 * only in the confidence that ranks the candidates.
 */
import { maskedCandidates } from '../candidates';
import type { ConfidenceRule } from '../confidence';
import { dreamTimesteps, dreamTransferCount } from '../schedule';
import { mostConfident } from '../select';
import { countMasked } from '../state';
import { startAtFirstBlock, type Strategy } from './strategy';

function dreamStrategy(rule: ConfidenceRule): Strategy {
  return {
    confidenceRule: rule,
    confidenceSource: 'sampling',
    start: startAtFirstBlock,
    nominalTime: (state, options) => dreamTimesteps(options.steps, options.dreamEps)[state.call],
    decide(state, predictions, options) {
      const candidates = maskedCandidates(state, state.tokens.length);
      const timesteps = dreamTimesteps(options.steps, options.dreamEps);
      const k = dreamTransferCount(countMasked(state), state.call, timesteps);
      return {
        candidates,
        commit: mostConfident(candidates, predictions.confidence, k),
        remask: [],
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
}

export const dreamMaskgitPlus = dreamStrategy('probability');
export const dreamTopkMargin = dreamStrategy('margin');
export const dreamEntropy = dreamStrategy('negEntropy');

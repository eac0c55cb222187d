/**
 * Be the sampler: a person decides. At each call the model's guesses and confidences are shown at
 * every masked position and the person chooses which of them to commit, or types a word of their
 * own at a masked position. The decision comes from outside (`ExternalChoice`, passed to step());
 * this rule only checks it and says what may be chosen:
 *
 * - every masked position of the window is a candidate (no blocks, no schedule);
 * - predictions are greedy (the argmax, what the person is shown) and the confidence is the
 *   model's probability of it at temperature 1;
 * - a call may commit nothing (the next call then sees the same window);
 * - the run is done when no mask is left. `steps` is not used: the person's calls are counted.
 *
 * A trace of this strategy replays like any other: each record's committed positions and the
 * tokens written there are the choice (`choiceFromRecord`), so the same logits give the same
 * records (traceFromLogits with the choices).
 */
import type { TraceRecord } from '../trace';
import { countMasked, isMasked } from '../state';
import { startAtFirstBlock, type ExternalChoice, type Strategy } from './strategy';

export const human: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'model',
  start(state, options) {
    return { ...startAtFirstBlock(state, options), done: countMasked(state) === 0 };
  },
  nominalTime: () => null,
  decide(state, _predictions, _options, _rng, choice) {
    if (!choice) throw new Error("the 'human' strategy needs a person's choice at every call");
    const n = state.tokens.length;
    const candidates = new Uint8Array(n);
    for (let i = 0; i < n; i++) if (isMasked(state, i)) candidates[i] = 1;
    const commit = [...new Set(choice.commit)];
    for (const i of commit) {
      if (!Number.isInteger(i) || i < 0 || i >= n || !candidates[i]) {
        throw new Error(`position ${i + 1} cannot be committed: it is not masked`);
      }
    }
    const typed = choice.typed ?? [];
    for (const { position, token } of typed) {
      if (!commit.includes(position)) {
        throw new Error(`a word typed at position ${position + 1} must also be committed`);
      }
      if (!Number.isInteger(token) || token < 0 || token === state.maskId) {
        throw new Error(`position ${position + 1}: ${token} is not a token that can be written`);
      }
    }
    return {
      candidates,
      commit,
      remask: [],
      discardsGuesses: false,
      ...(typed.length > 0 ? { typed } : {}),
    };
  },
  advance: (updated) => ({
    block: 0,
    stepInBlock: updated.call,
    blockSchedule: [],
    done: countMasked(updated) === 0,
  }),
};

/**
 * The choice a person made at a recorded call: the positions it committed, and the tokens written
 * there that were not the model's prediction (typed).
 */
export function choiceFromRecord(record: TraceRecord): ExternalChoice {
  const commit: number[] = [];
  const typed: { position: number; token: number }[] = [];
  record.status.forEach((s, i) => {
    if (s !== 'committed') return;
    commit.push(i);
    if (record.after[i] !== record.prediction[i])
      typed.push({ position: i, token: record.after[i] });
  });
  return typed.length > 0 ? { commit, typed } : { commit };
}

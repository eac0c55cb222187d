/**
 * Autoregressive decoding, "the typewriter": the causal twin writes left to right, one token per
 * model call. Each call commits the leftmost masked position i with the model's prediction for
 * it, read from the logits at i − 1 (`nextToken`, see nextTokenLogits.ts). Temperature, top-k and
 * top-p act on that row as in every strategy (Gumbel-max in float64).
 *
 * Stopping: when `eosId` is set and the token written is [EOS], the rest of the window's masked
 * positions become [EOS] in the same call and decoding stops — the corpus window format (words,
 * then [EOS] to the end) says nothing else can follow. So the number of model calls is the number
 * of tokens the model actually wrote, its [EOS] included. Without `eosId` every masked position
 * is written. `steps` is not used: the calls follow from the tokens.
 *
 * Pinned positions are skipped (the model reads them but they are never rewritten), and pinned
 * words after an [EOS] stay where they are. Position 0 must be pinned (createInitialState checks
 * it): nothing before it predicts it, since the twin is trained without a start token.
 */
import { isMasked } from '../state';
import { startAtFirstBlock, type Strategy } from './strategy';

function leftmostMasked(state: Parameters<typeof isMasked>[0]): number {
  for (let i = 0; i < state.tokens.length; i++) if (isMasked(state, i)) return i;
  return -1;
}

export const autoregressive: Strategy = {
  confidenceRule: 'probability',
  confidenceSource: 'model',
  nextToken: true,
  start: startAtFirstBlock,
  nominalTime: () => null,
  decide(state, predictions, options) {
    const candidates = new Uint8Array(state.tokens.length);
    const i = leftmostMasked(state);
    if (i < 0) return { candidates, commit: [], remask: [], discardsGuesses: false };
    candidates[i] = 1;
    const ended = options.eosId !== null && predictions.prediction[i] === options.eosId;
    const rest: number[] = [];
    if (ended)
      for (let j = i + 1; j < state.tokens.length; j++) if (isMasked(state, j)) rest.push(j);
    return {
      candidates,
      commit: [i],
      remask: [],
      discardsGuesses: false,
      ...(rest.length > 0 ? { fill: { positions: rest, token: options.eosId!, from: i } } : {}),
    };
  },
  advance: (updated) => ({
    block: 0,
    stepInBlock: updated.call,
    blockSchedule: [],
    done: leftmostMasked(updated) < 0,
  }),
};

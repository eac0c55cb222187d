/**
 * Where the answer emerged, per position of a run (the papers' "decoding step" maps): the call at
 * which the position's final token first became the model's top guess there, how often the top
 * guess changed, and the call that wrote the final token. A pure reading of trace records.
 *
 * The top guess at a call is the most probable token under the model's own softmax (the record's
 * topK[i][0]); a trace without top-k (traceTopK 0) falls back to the prediction, which is the top
 * guess only when greedy. Positions the model was not given (after a block-causal prefix) have no
 * guess at that call; pinned positions have none at all.
 */
import type { TraceRecord } from './trace';

export interface PositionEmergence {
  position: number;
  pinned: boolean;
  /** The token at the end of the run (the mask id when it never got one). */
  finalToken: number;
  /** 0-based call at which the final token first was the top guess; null if it never was. */
  emergedAt: number | null;
  /** Times the top guess differed from the one at the previous call that had a guess. */
  guessChanges: number;
  /** 0-based call that wrote the final token (committed or edited); null if none did. */
  committedAt: number | null;
  /** 0-based call of the first token written here, the final one or not; null if none. */
  firstWrittenAt: number | null;
  /** The top guess at every call; null where the model gave none. */
  topGuess: (number | null)[];
}

export interface EmergenceMap {
  calls: number;
  positions: PositionEmergence[];
  /** Per call: positions committed (masked → token), edited (token → token), remasked. */
  committedPerCall: number[];
  editedPerCall: number[];
  remaskedPerCall: number[];
}

export interface EmergenceInput {
  initial: readonly number[];
  pinned: readonly boolean[];
  maskId: number;
  records: readonly TraceRecord[];
  /** Whether predictions are argmaxes (temperature 0): they may stand in for a missing top-k. */
  greedy: boolean;
}

function topGuessAt(r: TraceRecord, i: number, greedy: boolean): number | null {
  if (i >= r.inputLength) return null;
  const best = r.topK[i]?.[0];
  if (best) return best.token;
  return greedy ? r.prediction[i] : null;
}

export function answerEmergence(run: EmergenceInput): EmergenceMap {
  const n = run.initial.length;
  const final = run.records.at(-1)?.after ?? run.initial;
  const positions: PositionEmergence[] = [];
  for (let i = 0; i < n; i++) {
    const pinned = run.pinned[i];
    const topGuess: (number | null)[] = [];
    let emergedAt: number | null = null;
    let guessChanges = 0;
    let previous: number | null = null;
    let committedAt: number | null = null;
    let firstWrittenAt: number | null = null;
    run.records.forEach((r, k) => {
      const guess = pinned ? null : topGuessAt(r, i, run.greedy);
      topGuess.push(guess);
      if (guess !== null) {
        if (previous !== null && guess !== previous) guessChanges++;
        previous = guess;
        if (emergedAt === null && guess === final[i] && final[i] !== run.maskId) emergedAt = k;
      }
      const s = r.status[i];
      // Tokens change only by writes, so the last write of the final token is when it was
      // committed for good (an earlier one may have been edited or sent back since).
      if (s === 'committed' || s === 'edited') {
        firstWrittenAt ??= k;
        if (r.after[i] === final[i]) committedAt = k;
      }
    });
    positions.push({
      position: i,
      pinned,
      finalToken: final[i],
      emergedAt,
      guessChanges,
      committedAt,
      firstWrittenAt,
      topGuess,
    });
  }
  return {
    calls: run.records.length,
    positions,
    committedPerCall: run.records.map((r) => r.committed),
    editedPerCall: run.records.map((r) => r.edited),
    remaskedPerCall: run.records.map((r) => r.remasked),
  };
}

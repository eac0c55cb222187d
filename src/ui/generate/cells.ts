/**
 * What each cell of the token strip shows at a frame, read from the run's records alone (so
 * stepping back shows exactly what was shown before). States, from the record's status and the
 * token it replaced:
 * - pinned: fixed by the prompt, a pinned word or the [EOS] tail;
 * - masked: still [MASK]; the model's guess from this call is shown faintly behind it;
 * - new: committed by this call, coloured by its confidence;
 * - kept: committed by an earlier call;
 * - sent-back: a committed token sent back to [MASK] by this call (ReMDM), shown struck through;
 * - discarded: a guess made by this call and thrown away (the article's "remask the rest", DUS's
 *   low-confidence remasking);
 * - edited: a committed token rewritten by this call (LLaDA2.1): what it became, and what it was
 *   struck through.
 * Independently of the state, a position the model was not given in this call (a block-causal
 * prefix call, record.inputLength) is marked unseen and shows no guess.
 */
import type { TopCandidate, TraceRecord } from '../../core/sampler';
import { recordAt, tokensAt, type GenerationRun } from '../../state/generationRun';

export type CellState = 'pinned' | 'masked' | 'new' | 'kept' | 'edited' | 'sent-back' | 'discarded';

export const CELL_STATES: readonly CellState[] = [
  'masked',
  'discarded',
  'new',
  'kept',
  'edited',
  'sent-back',
  'pinned',
];

export interface CellView {
  position: number;
  state: CellState;
  /** The token in the window at this frame. */
  token: number;
  /** The model's prediction at this call (null at frame 0). */
  guess: number | null;
  /**
   * The token crossed out: the committed token sent back, the discarded guess, or what an edited
   * token was before this call.
   */
  struck: number | null;
  /** Whether the model was given this position in this call (false: after a prefix call's end). */
  seen: boolean;
  /** Confidence of this call's prediction under the strategy's rule (null at frame 0). */
  confidence: number | null;
  /** For a committed token: the 0-based call that committed it and its confidence then. */
  committedAt: number | null;
  commitConfidence: number | null;
  candidates: TopCandidate[];
}

/** The state of position i in the frame made by `record` (null: the start). */
export function cellState(
  record: TraceRecord | null,
  pinned: boolean,
  i: number,
  maskId: number,
): CellState {
  if (pinned) return 'pinned';
  if (!record) return 'masked';
  switch (record.status[i]) {
    case 'pinned':
      return 'pinned';
    case 'committed':
      return 'new';
    case 'kept':
      return 'kept';
    case 'edited':
      return 'edited';
    case 'remasked':
      return record.before[i] === maskId ? 'discarded' : 'sent-back';
    case 'masked':
      return 'masked';
  }
}

/** Per position: the call that committed the current token and its confidence, up to `frame`. */
function commitHistory(run: GenerationRun, frame: number) {
  const n = run.initial.length;
  const call = new Array<number | null>(n).fill(null);
  const confidence = new Array<number | null>(n).fill(null);
  const last = Math.min(frame, run.records.length);
  for (let f = 0; f < last; f++) {
    const r = run.records[f];
    for (let i = 0; i < n; i++) {
      if (r.status[i] === 'committed' || r.status[i] === 'edited') {
        call[i] = r.call;
        confidence[i] = r.confidence[i];
      } else if (r.status[i] === 'remasked' && r.before[i] !== run.maskId) {
        call[i] = null;
        confidence[i] = null;
      }
    }
  }
  return { call, confidence };
}

export function cellsAt(run: GenerationRun, frame: number): CellView[] {
  const record = recordAt(run, frame);
  const tokens = tokensAt(run, frame);
  const history = commitHistory(run, frame);
  return tokens.map((token, i) => {
    const state = cellState(record, run.pinned[i], i, run.maskId);
    const seen = record === null || i < record.inputLength;
    const guess = record && seen ? record.prediction[i] : null;
    return {
      position: i,
      state,
      token,
      guess: state === 'pinned' ? null : guess,
      struck:
        state === 'sent-back' || state === 'edited'
          ? record!.before[i]
          : state === 'discarded'
            ? guess
            : null,
      seen,
      confidence: record && seen && state !== 'pinned' ? record.confidence[i] : null,
      committedAt: history.call[i],
      commitConfidence: history.confidence[i],
      candidates: record && seen ? record.topK[i] : [],
    };
  });
}

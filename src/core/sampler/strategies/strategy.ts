/**
 * What a sampling strategy decides, given one call's predictions. The step function does the
 * rest (predictions before, new state and trace record after), so a strategy is only its rule.
 */
import type { Rng } from '../../rng';
import type { ConfidenceRule } from '../confidence';
import type { ResolvedSamplerOptions } from '../options';
import type { ConfidenceSource, Predictions } from '../predict';
import { scheduleForBlock, type SamplerState } from '../state';

export interface StepDecision {
  /** 1 where the position could have been committed in this call. */
  candidates: Uint8Array;
  /** Positions that take their prediction. */
  commit: number[];
  /** Committed positions sent back to [MASK] (ReMDM). */
  remask: number[];
  /**
   * Committed (not pinned) positions rewritten with this call's prediction (LLaDA2.1's editing).
   * The trace shows them as edited, with the token they held before.
   */
  edit?: number[];
  /**
   * Candidates whose prediction was written and taken back in the same call (DUS's
   * low-confidence remasking of a level): they stay masked and the trace shows them as remasked.
   */
  discard?: number[];
  /**
   * True when the strategy guessed every masked position and threw the uncommitted guesses away
   * (the article's "remask the rest"); the trace then shows those positions as remasked.
   */
  discardsGuesses: boolean;
  /**
   * Masked positions written without a prediction of their own, all with `token`, in the same
   * call (autoregressive decoding fills the window's [EOS] tail once [EOS] is written). The trace
   * shows them as committed, with the prediction and confidence of position `from`, whose token
   * implied them.
   */
  fill?: { positions: readonly number[]; token: number; from: number };
  /**
   * Committed positions written with another token than the prediction (a word the person typed,
   * the 'human' strategy). The trace keeps the model's prediction and the written token in
   * `after`; the confidence is the model's probability of the written token.
   */
  typed?: readonly { position: number; token: number }[];
}

/**
 * A decision made outside the sampler, for a manual strategy ('human'): which masked positions
 * to commit at this call, and, for some of them, the token a person typed instead of the model's
 * prediction. The step function passes it to the strategy's decide.
 */
export interface ExternalChoice {
  commit: readonly number[];
  typed?: readonly { position: number; token: number }[];
}

/** Block bookkeeping after a call, computed from the state with the call's update applied. */
export type Progress = Pick<SamplerState, 'block' | 'stepInBlock' | 'blockSchedule' | 'done'> &
  Partial<Pick<SamplerState, 'postSteps'>>;

/** What advance() may read about the call just made. */
export interface CallOutcome {
  /** The state the call started from. */
  before: SamplerState;
  decision: StepDecision;
}

export interface Strategy {
  readonly confidenceRule: ConfidenceRule;
  readonly confidenceSource: ConfidenceSource;
  /**
   * True for a next-token (causal) model: the prediction for position i is read from the logits
   * at position i − 1, which is what such a model is trained to put there (target at i is
   * x0[i + 1]). Position 0 then has no logits of its own and gets a uniform row.
   */
  readonly nextToken?: boolean;
  /**
   * How many leading positions the model is given for the coming call (block-causal samplers see
   * only x[0 : window_end]); absent = the whole window. See driver.ts for what a model with a
   * fixed window receives.
   */
  inputLength?(state: SamplerState, options: ResolvedSamplerOptions): number;
  /** Block bookkeeping before the first call (the starting state has its tokens already). */
  start(state: SamplerState, options: ResolvedSamplerOptions): Progress;
  /** The strategy's own time for the coming call, or null if it has no time schedule. */
  nominalTime(state: SamplerState, options: ResolvedSamplerOptions): number | null;
  decide(
    state: SamplerState,
    predictions: Predictions,
    options: ResolvedSamplerOptions,
    rng: Rng,
    /** Only for a manual strategy: the decision made outside (absent for the others). */
    choice?: ExternalChoice,
  ): StepDecision;
  /** `updated` has the new tokens and `call` already incremented. */
  advance(updated: SamplerState, options: ResolvedSamplerOptions, outcome: CallOutcome): Progress;
}

/** The start of the strategies that begin at block 0 (LLaDA fixes its schedule there). */
export function startAtFirstBlock(state: SamplerState, options: ResolvedSamplerOptions): Progress {
  return {
    block: 0,
    stepInBlock: 0,
    blockSchedule: scheduleForBlock(state, options, 0),
    done: false,
  };
}

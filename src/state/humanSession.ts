/**
 * Be the sampler, as data: a person's run of the 'human' strategy, one model call at a time. The
 * session asks for the model's logits on its window (`modelCall`), shows the guesses
 * (`receive`), lets the person choose positions and type words (`toggle`, `typeAt`), and turns the
 * choice into a trace record with the sampler's own step function (`commit`). Pure: the store
 * (driveSlice.ts) makes the model call through the inference worker.
 */
import {
  createInitialState,
  inputLengthForCall,
  modelInput,
  predictionsForCall,
  resolveOptions,
  step,
  timeForCall,
  TRACE_SCHEMA,
  type Predictions,
  type ResolvedSamplerOptions,
  type SamplerInit,
  type SamplerState,
  type SamplerTrace,
  type TraceRecord,
} from '../core/sampler';
import { Rng } from '../core/rng';

export interface HumanSession {
  options: ResolvedSamplerOptions;
  vocabSize: number;
  initial: number[];
  pinned: boolean[];
  state: SamplerState;
  records: TraceRecord[];
  /** The call waiting for the person: its logits and what they say at every position. */
  pending: { logits: Float32Array; predictions: Predictions } | null;
  /** Masked positions the person chose to commit at the pending call, in the order chosen. */
  chosen: number[];
  /** Words the person typed (chosen positions written with them instead of the guess). */
  typed: { position: number; token: number }[];
}

/**
 * The options of a person's run: greedy guesses (what the person is shown), t as the masked
 * fraction when the model takes t, the model's own probabilities (no [EOS] rule), 5 candidates.
 */
export function humanOptions(
  seed: number,
  timeConditioned: boolean,
  eosId: number | null,
): ResolvedSamplerOptions {
  return resolveOptions({
    strategy: 'human',
    steps: 1,
    temperature: 0,
    seed,
    traceTopK: 5,
    timeInput: timeConditioned ? 'nominal' : 'none',
    eosId,
  });
}

export function startSession(
  init: SamplerInit,
  options: ResolvedSamplerOptions,
  maskId: number,
  vocabSize: number,
): HumanSession {
  const state = createInitialState(init, maskId, options);
  return {
    options,
    vocabSize,
    initial: Array.from(state.tokens),
    pinned: Array.from(state.pinned, (p) => p === 1),
    state,
    records: [],
    pending: null,
    chosen: [],
    typed: [],
  };
}

/** What the model is given for the coming call (the window and t), or null when done. */
export function modelCall(
  s: HumanSession,
): { tokens: Int32Array; t: Float32Array | undefined } | null {
  if (s.state.done) return null;
  const seen = inputLengthForCall(s.state, s.options);
  const t = timeForCall(s.state, s.options);
  return {
    tokens: modelInput(s.state.tokens, seen, s.state.maskId, false),
    t: t === null ? undefined : Float32Array.of(t),
  };
}

/** The model answered: its guesses and confidences become the pending call. */
export function receive(s: HumanSession, logits: Float32Array): HumanSession {
  const predictions = predictionsForCall(s.state, logits, s.options, new Rng(s.options.seed));
  return { ...s, pending: { logits, predictions }, chosen: [], typed: [] };
}

/** Whether position i may be chosen at the pending call (it is masked). */
export function choosable(s: HumanSession, i: number): boolean {
  return s.pending !== null && !s.state.pinned[i] && s.state.tokens[i] === s.state.maskId;
}

/** Choose position i, or unchoose it (and forget a word typed there). */
export function toggle(s: HumanSession, i: number): HumanSession {
  if (!choosable(s, i)) return s;
  if (s.chosen.includes(i)) {
    return {
      ...s,
      chosen: s.chosen.filter((p) => p !== i),
      typed: s.typed.filter((w) => w.position !== i),
    };
  }
  return { ...s, chosen: [...s.chosen, i] };
}

/** Write `token` at position i at the pending call (and choose it); the guess itself: no typing. */
export function typeAt(s: HumanSession, i: number, token: number): HumanSession {
  if (!choosable(s, i)) return s;
  const guess = s.pending!.predictions.prediction[i];
  const typed = s.typed.filter((w) => w.position !== i);
  if (token !== guess) typed.push({ position: i, token });
  const chosen = s.chosen.includes(i) ? s.chosen : [...s.chosen, i];
  return { ...s, chosen, typed };
}

/** The token position i would get if the pending call were committed now. */
export function tokenFor(s: HumanSession, i: number): number | null {
  if (!s.pending) return null;
  return s.typed.find((w) => w.position === i)?.token ?? s.pending.predictions.prediction[i];
}

/**
 * Commit the pending call with the person's choice: the sampler's step function makes the
 * record (so it is checked like any other), and the session waits for the next call.
 */
export function commit(s: HumanSession): HumanSession {
  if (!s.pending) throw new Error('no call is waiting for a decision');
  const { state, record } = step(s.state, s.pending.logits, s.options, new Rng(s.options.seed), {
    commit: s.chosen,
    typed: s.typed,
  });
  return { ...s, state, records: [...s.records, record], pending: null, chosen: [], typed: [] };
}

/** The person's run as a trace (whole once the session is done). */
export function sessionTrace(s: HumanSession): SamplerTrace {
  return {
    schema: TRACE_SCHEMA,
    options: s.options,
    vocabSize: s.vocabSize,
    maskId: s.state.maskId,
    promptLength: s.state.promptLength,
    initial: s.initial,
    pinned: s.pinned,
    records: s.records,
    final: s.records.at(-1)?.after ?? s.initial,
  };
}

/** The k most confident masked guesses of the pending call (a starting point for a person). */
export function mostConfident(s: HumanSession, k: number): number[] {
  if (!s.pending) return [];
  const c = s.pending.predictions.confidence;
  const masked: number[] = [];
  for (let i = 0; i < s.state.tokens.length; i++) if (choosable(s, i)) masked.push(i);
  return masked.sort((a, b) => c[b] - c[a] || a - b).slice(0, k);
}

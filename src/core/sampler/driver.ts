/**
 * The driver: calls a denoiser once per step (batch 1) and yields one trace record per call, and
 * the same loop over recorded logits so a trace can be rebuilt without a model.
 */
import type { Denoiser } from '../denoiser';
import { Rng } from '../rng';
import { resolveOptions, type ResolvedSamplerOptions, type SamplerOptions } from './options';
import type { Logits } from './softmax';
import { genLength, type SamplerInit, type SamplerState } from './state';
import type { ExternalChoice } from './strategies/strategy';
import { createInitialState } from './initialState';
import { inputLengthForCall, step, timeForCall } from './step';
import { TRACE_SCHEMA, type SamplerTrace, type TraceRecord } from './trace';

/**
 * Anything that returns logits for a token window: a Denoiser (float32) or a float64 source such
 * as the golden mock's exact view.
 */
export interface LogitsModel extends Omit<Denoiser, 'logits'> {
  logits(tokens: Int32Array, batch: number, t?: Float32Array): Promise<Logits>;
  /**
   * True when the model is given a block-causal sampler's prefix as it is (a shorter input, as
   * upstream does and as the goldens record). Otherwise (the default, and the app's models) the
   * model keeps its fixed window: the positions after the prefix are given as [MASK], so nothing
   * about them (not even a pinned word) reaches the model, and only the prefix's rows are read.
   */
  readonly acceptsPrefix?: boolean;
}

/**
 * The model's input for a call that shows it `length` positions: the prefix itself, or the
 * window with every later position written as [MASK].
 */
export function modelInput(
  tokens: Int32Array,
  length: number,
  maskId: number,
  acceptsPrefix: boolean,
): Int32Array {
  if (length === tokens.length) return tokens.slice();
  if (acceptsPrefix) return tokens.slice(0, length);
  const padded = tokens.slice();
  padded.fill(maskId, length);
  return padded;
}

/** Upper bound on calls for data-dependent strategies, so a stuck model cannot loop forever. */
export function callLimit(options: ResolvedSamplerOptions, genLength: number): number {
  return options.maxCalls ?? 4 * (genLength + options.steps);
}

function emptyTrace(
  state: SamplerState,
  options: ResolvedSamplerOptions,
  vocabSize: number,
): SamplerTrace {
  return {
    schema: TRACE_SCHEMA,
    options,
    vocabSize,
    maskId: state.maskId,
    promptLength: state.promptLength,
    initial: Array.from(state.tokens),
    pinned: Array.from(state.pinned, (p) => p === 1),
    records: [],
    final: Array.from(state.tokens),
  };
}

/**
 * Run the sampler against a model, yielding each call's record as soon as it is made; the
 * generator's return value is the whole trace. Stop early with `return()` (or `break` in a
 * for-await loop). The random stream is Rng(options.seed).
 */
export async function* runSampler(
  model: LogitsModel,
  init: SamplerInit,
  options: SamplerOptions,
): AsyncGenerator<TraceRecord, SamplerTrace> {
  const o = resolveOptions(options);
  const state = createInitialState(init, model.maskId, o);
  if (state.tokens.length !== model.seqLen) {
    throw new Error(
      `sequence length ${state.tokens.length} (prompt ${init.prompt.length} + ${init.genLength}) ≠ model seqLen ${model.seqLen}`,
    );
  }
  return yield* runSamplerFrom(model, state, o);
}

/**
 * The same loop from any sampler state: a fresh start (runSampler) or the state at a branch
 * point (branch.ts). Records are numbered state.call + callOffset (a branch that restarts its
 * strategy counts its own calls from 0 but follows its parent's calls in the trace). The trace
 * returned starts from `start`'s tokens.
 */
export async function* runSamplerFrom(
  model: LogitsModel,
  start: SamplerState,
  options: SamplerOptions,
  callOffset = 0,
): AsyncGenerator<TraceRecord, SamplerTrace> {
  const o = resolveOptions(options);
  let state = start;
  const n = state.tokens.length;
  if (n !== model.seqLen) throw new Error(`sequence length ${n} ≠ model seqLen ${model.seqLen}`);
  const trace = emptyTrace(state, o, model.vocabSize);
  const rng = new Rng(o.seed);
  const limit = callLimit(o, genLength(state));
  while (!state.done) {
    if (state.call >= limit) {
      throw new Error(`${o.strategy} did not finish within ${limit} model calls (see maxCalls)`);
    }
    const t = timeForCall(state, o);
    const seen = inputLengthForCall(state, o);
    const input = modelInput(state.tokens, seen, state.maskId, model.acceptsPrefix === true);
    const logits = await model.logits(input, 1, t === null ? undefined : Float32Array.of(t));
    if (logits.length !== input.length * model.vocabSize) {
      throw new Error(
        `model returned ${logits.length} logits, expected ${input.length} × ${model.vocabSize}`,
      );
    }
    const rows = seen === input.length ? logits : logits.subarray(0, seen * model.vocabSize);
    const result = step(state, rows, o, rng);
    state = result.state;
    const record =
      callOffset === 0
        ? result.record
        : { ...result.record, call: result.record.call + callOffset };
    trace.records.push(record);
    trace.final = record.after;
    yield record;
  }
  return trace;
}

/** Run to the end and return the whole trace. */
export async function runSamplerToEnd(
  model: LogitsModel,
  init: SamplerInit,
  options: SamplerOptions,
): Promise<SamplerTrace> {
  const run = runSampler(model, init, options);
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

/**
 * Rebuild a trace from the logits recorded at each call (e.g. saved from an earlier run), with
 * no model. Same seed, same logits, same records. A prefix call's logits may be the prefix's rows
 * or the whole window's (a fixed-window model's output; only the prefix is read). A manual
 * strategy ('human') needs the choice made at each call (strategies/human.ts, choiceFromRecord).
 * Throws if the logits run out before the sampler is done or are more than it needs.
 */
export function traceFromLogits(
  init: SamplerInit,
  options: SamplerOptions,
  vocabSize: number,
  maskId: number,
  logitsPerCall: readonly Logits[],
  choices?: readonly ExternalChoice[],
): SamplerTrace {
  const o = resolveOptions(options);
  const state = createInitialState(init, maskId, o);
  const trace = emptyTrace(state, o, vocabSize);
  trace.records = recordsFromLogits(state, o, vocabSize, logitsPerCall, { choices });
  trace.final = trace.records.at(-1)?.after ?? trace.initial;
  return trace;
}

/**
 * The records a sampler makes from `start` given each call's logits (and, for a manual strategy,
 * each call's choice): traceFromLogits from any state, e.g. a branch's own calls (branch.ts),
 * numbered state.call + callOffset. The sampler must be done after the last logits.
 */
export function recordsFromLogits(
  start: SamplerState,
  options: SamplerOptions,
  vocabSize: number,
  logitsPerCall: readonly Logits[],
  { choices, callOffset = 0 }: { choices?: readonly ExternalChoice[]; callOffset?: number } = {},
): TraceRecord[] {
  const o = resolveOptions(options);
  let state = start;
  const records: TraceRecord[] = [];
  const rng = new Rng(o.seed);
  for (const [k, logits] of logitsPerCall.entries()) {
    if (state.done)
      throw new Error(
        `${logitsPerCall.length} logits given, the sampler finished after ${state.call}`,
      );
    const seen = inputLengthForCall(state, o);
    const n = state.tokens.length;
    if (logits.length !== seen * vocabSize && logits.length !== n * vocabSize) {
      throw new Error(
        `call ${state.call}: ${logits.length} logits, expected ${seen} × ${vocabSize}${seen === n ? '' : ` or ${n} × ${vocabSize}`}`,
      );
    }
    const result = step(state, logits.subarray(0, seen * vocabSize), o, rng, choices?.[k]);
    state = result.state;
    records.push(
      callOffset === 0
        ? result.record
        : { ...result.record, call: result.record.call + callOffset },
    );
  }
  if (!state.done)
    throw new Error(`only ${logitsPerCall.length} logits given, the sampler needs more`);
  return records;
}

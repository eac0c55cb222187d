/**
 * One model call's worth of sampling: given the logits the model returned for `state.tokens`,
 * decide what to commit (and, for ReMDM, what to send back to [MASK]); return the next state
 * and the call's trace record. The input state is not touched. Randomness (temperature
 * sampling, llada.random, ReMDM) comes only from `rng`, so the same state, logits, options and
 * rng state always give the same result.
 */
import type { Rng } from '../rng';
import { resolveOptions, type ResolvedSamplerOptions, type SamplerOptions } from './options';
import { nextTokenRows } from './nextTokenLogits';
import { predictPositions, type Predictions } from './predict';
import { softmaxRow, type Logits } from './softmax';
import { countMasked, genLength, type SamplerState } from './state';
import { strategyFor } from './strategies';
import type { ExternalChoice } from './strategies/strategy';
import type { PositionStatus, TraceRecord } from './trace';

export interface StepResult {
  state: SamplerState;
  record: TraceRecord;
}

/**
 * The t the driver passes to the denoiser for the coming call (rounded to float32, since that is
 * what the model receives), or null when none is passed.
 */
export function timeForCall(state: SamplerState, options: ResolvedSamplerOptions): number | null {
  if (options.timeInput === 'none') return null;
  const nominal =
    options.timeInput === 'nominal'
      ? strategyFor(options.strategy).nominalTime(state, options)
      : null;
  const t = nominal ?? countMasked(state) / genLength(state);
  return Math.fround(t);
}

/**
 * How many leading positions the model is given for the coming call: the whole window, or for a
 * block-causal sampler (LLaDA2.0, 2.1) the prefix up to the end of its current block.
 */
export function inputLengthForCall(state: SamplerState, options: ResolvedSamplerOptions): number {
  return strategyFor(options.strategy).inputLength?.(state, options) ?? state.tokens.length;
}

/**
 * `logits` are the model's rows for the positions it was given: inputLengthForCall(state) rows
 * of V (the whole window, or the prefix of a block-causal call). `choice` is the decision of a
 * manual strategy ('human'), made outside the sampler; the other strategies ignore it.
 */
export function step(
  state: SamplerState,
  logits: Logits,
  options: SamplerOptions,
  rng: Rng,
  choice?: ExternalChoice,
): StepResult {
  const o = resolveOptions(options); // idempotent, so resolved options may be passed too
  if (state.done) throw new Error('the sampler is done: no further step');
  const n = state.tokens.length;
  const seen = inputLengthForCall(state, o);
  const vocab = logits.length / seen;
  if (!Number.isInteger(vocab) || vocab < 1) {
    const what = seen === n ? 'sequence length' : 'input length (the prefix the model sees)';
    throw new Error(`logits length ${logits.length} is not a multiple of the ${what} ${seen}`);
  }
  if (state.maskId >= vocab)
    throw new Error(`mask id ${state.maskId} is outside the vocabulary (${vocab})`);

  const strategy = strategyFor(o.strategy);
  const t = timeForCall(state, o);
  const predictions = predictionsForCall(state, logits, o, rng, seen, vocab);
  const decision = strategy.decide(state, predictions, o, rng, choice);

  const tokens = state.tokens.slice();
  const committedAt = state.committedAt.slice();
  for (const i of decision.remask) {
    if (state.pinned[i] || committedAt[i] < 0)
      throw new Error(`strategy remasked position ${i}, which is not committed`);
    tokens[i] = state.maskId;
    committedAt[i] = -1;
  }
  for (const i of decision.commit) {
    if (!decision.candidates[i])
      throw new Error(`strategy committed position ${i}, which is not a candidate`);
    tokens[i] = predictions.prediction[i];
    // A committed [MASK] prediction (maskToken 'allow') leaves the position masked.
    committedAt[i] = tokens[i] === state.maskId ? -1 : state.call;
  }
  for (const i of decision.edit ?? []) {
    if (state.pinned[i] || state.tokens[i] === state.maskId || i >= seen)
      throw new Error(`strategy edited position ${i}, which holds no committed token it saw`);
    tokens[i] = predictions.prediction[i];
    committedAt[i] = tokens[i] === state.maskId ? -1 : state.call;
  }
  const discarded = new Uint8Array(n);
  for (const i of decision.discard ?? []) {
    if (!decision.candidates[i] || decision.commit.includes(i))
      throw new Error(`strategy discarded position ${i}, which is not an uncommitted candidate`);
    discarded[i] = 1;
  }
  const prediction = Array.from(predictions.prediction);
  const confidence = Array.from(predictions.confidence);
  for (const { position: i, token } of decision.typed ?? []) {
    if (!decision.commit.includes(i) || token === state.maskId || token < 0 || token >= vocab)
      throw new Error(`strategy typed ${token} at position ${i}, which it does not commit`);
    tokens[i] = token;
    committedAt[i] = state.call;
    confidence[i] = probabilityOf(logits, i, vocab, token, state.maskId, o);
  }
  if (decision.fill) {
    const { positions, token, from } = decision.fill;
    if (token === state.maskId) throw new Error('strategy filled positions with the mask id');
    for (const i of positions) {
      if (state.pinned[i] || tokens[i] !== state.maskId)
        throw new Error(`strategy filled position ${i}, which is not masked`);
      tokens[i] = token;
      committedAt[i] = state.call;
      prediction[i] = token;
      confidence[i] = predictions.confidence[from];
    }
  }

  const status: PositionStatus[] = [];
  let committed = 0;
  let remasked = 0;
  let edited = 0;
  for (let i = 0; i < n; i++) {
    const wasMasked = state.tokens[i] === state.maskId;
    const isMasked = tokens[i] === state.maskId;
    let s: PositionStatus;
    if (state.pinned[i]) s = 'pinned';
    else if (wasMasked && !isMasked) s = 'committed';
    else if (!wasMasked && isMasked) s = 'remasked';
    else if (!wasMasked) s = tokens[i] === state.tokens[i] ? 'kept' : 'edited';
    else if (discarded[i]) s = 'remasked';
    else s = decision.discardsGuesses && decision.candidates[i] ? 'remasked' : 'masked';
    if (s === 'committed') committed++;
    if (s === 'remasked') remasked++;
    if (s === 'edited') edited++;
    status.push(s);
  }

  const updated: SamplerState = { ...state, tokens, committedAt, call: state.call + 1 };
  const next: SamplerState = {
    ...updated,
    ...strategy.advance(updated, o, { before: state, decision }),
  };
  const record: TraceRecord = {
    call: state.call,
    block: state.block,
    stepInBlock: state.stepInBlock,
    t,
    inputLength: seen,
    committed,
    remasked,
    edited,
    before: Array.from(state.tokens),
    after: Array.from(tokens),
    prediction,
    confidence,
    candidate: Array.from(decision.candidates, (c) => c === 1),
    status,
    topK: predictions.topK,
  };
  return { state: next, record };
}

/**
 * Every position's prediction, confidence and candidates from one call's logits, under the
 * strategy's rules, before anything is decided: what step() decides on, and what a person who is
 * the sampler is shown (greedy, so no random number is drawn).
 */
export function predictionsForCall(
  state: SamplerState,
  logits: Logits,
  o: ResolvedSamplerOptions,
  rng: Rng,
  seen = inputLengthForCall(state, o),
  vocab = logits.length / seen,
): Predictions {
  const strategy = strategyFor(o.strategy);
  const seenPredictions = predictPositions(
    strategy.nextToken ? nextTokenRows(logits, seen, vocab) : logits,
    seen,
    vocab,
    state.maskId,
    o,
    strategy.confidenceRule,
    strategy.confidenceSource,
    rng,
  );
  return seen === state.tokens.length ? seenPredictions : unseenTail(seenPredictions, state);
}

/**
 * The model's probability of `token` at position i (softmax at temperature 1 of the logits with
 * the same [MASK] and [EOS] edits as the predictions): the confidence of a word a person typed.
 */
function probabilityOf(
  logits: Logits,
  i: number,
  vocab: number,
  token: number,
  maskId: number,
  o: ResolvedSamplerOptions,
): number {
  const row = Float64Array.from(logits.subarray(i * vocab, (i + 1) * vocab));
  if (o.maskToken === 'suppress') row[maskId] = -Infinity;
  if (o.logitsEosInf && o.eosId !== null) row[o.eosId] = -Infinity;
  return softmaxRow(row, 0, vocab, new Float64Array(vocab))[token];
}

/**
 * Predictions for the whole window from those of a prefix call: the positions the model was not
 * given have no prediction of their own; they carry their current token, confidence 0 and no
 * candidates (strategies never read them; the trace marks them by `inputLength`).
 */
function unseenTail(seen: Predictions, state: SamplerState): Predictions {
  const n = state.tokens.length;
  const prediction = state.tokens.slice();
  prediction.set(seen.prediction);
  const confidence = new Float64Array(n);
  confidence.set(seen.confidence);
  const topK = [...seen.topK];
  while (topK.length < n) topK.push([]);
  return { prediction, confidence, topK };
}

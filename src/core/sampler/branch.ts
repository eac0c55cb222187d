/**
 * Rewind and branch: from the window after any call of a run, a new run with other settings. The
 * branch shares the parent's first `atCall` calls (their records are copied, no model call is
 * made for them) and makes its own from there. How its sampler takes over is the branch mode
 * (traceLineage.ts): with the parent's strategy and blocks it continues (its bookkeeping is what
 * the new knobs would have made of the parent's calls); with another strategy or other blocks it
 * restarts on the window at the branch point. Either way the random numbers come afresh from the
 * branch's seed, so a greedy branch with the parent's knobs repeats the parent's calls exactly (and
 * a logits cache answers every one of them), while a sampling one draws its own.
 */
import { createInitialState } from './initialState';
import { resolveOptions, blockAlignment, type ResolvedSamplerOptions } from './options';
import {
  blockRange,
  countMasked,
  isMasked,
  startingTokens,
  type SamplerInit,
  type SamplerState,
} from './state';
import { strategyFor } from './strategies';
import type { StepDecision } from './strategies/strategy';
import { TRACE_SCHEMA, type SamplerTrace, type TraceRecord } from './trace';
import type {
  BranchMode,
  BranchPin,
  LineagePin,
  OptionsSegment,
  TraceLineage,
  TraceParent,
} from './traceLineage';

/** The parent run as far as a branch needs it. */
export interface BranchSource {
  initial: readonly number[];
  pinned: readonly boolean[];
  promptLength: number;
  maskId: number;
  vocabSize: number;
  /** At least the first atCall records. */
  records: readonly TraceRecord[];
  /** Words pinned after its start (its lineage's), each from its call on. */
  pins?: readonly LineagePin[];
  /** Its options, and its lineage's stretches of earlier options (the trace's lineage.earlier). */
  options?: ResolvedSamplerOptions;
  earlier?: readonly OptionsSegment[];
  /** The call its own options start from (its branch point; 0 for a root). */
  ownFrom?: number;
}

export interface BranchStart {
  /** The sampler state the branch's own calls start from. */
  state: SamplerState;
  /** Added to the state's call numbers in the records (a restart counts its calls from 0). */
  callOffset: number;
  /** The window at the branch point, the pins applied. */
  canvas: number[];
  /** Every word pinned after the start on the branch's path: the source's so far and its own. */
  pins: LineagePin[];
}

/** The window after call `atCall` of the source (0: its start). */
export function canvasAt(source: BranchSource, atCall: number): number[] {
  return atCall === 0 ? source.initial.slice() : source.records[atCall - 1].after.slice();
}

function initOf(source: BranchSource): SamplerInit {
  const p = source.promptLength;
  const infill: { position: number; token: number }[] = [];
  for (let i = p; i < source.initial.length; i++) {
    if (source.pinned[i]) infill.push({ position: i, token: source.initial[i] });
  }
  return { prompt: source.initial.slice(0, p), genLength: source.initial.length - p, infill };
}

/** Candidates as a block strategy's rule sees them (what advance() may read of a decision). */
function blockCandidates(state: SamplerState, o: ResolvedSamplerOptions): Uint8Array {
  const n = state.tokens.length;
  const align = blockAlignment(o.strategy);
  const [start, end] =
    align === null
      ? [0, n]
      : align === 'zero'
        ? blockRange(state, o, state.block)
        : [0, blockRange(state, o, state.block)[1]];
  const out = new Uint8Array(n);
  for (let i = start; i < Math.min(end, n); i++) if (isMasked(state, i)) out[i] = 1;
  return out;
}

/**
 * The state after `record` for a sampler with options `o` that was in `state` before it: the
 * record's tokens, and the strategy's own bookkeeping (blocks, steps in the block, post steps) as
 * its advance() makes it from that outcome.
 */
function advanceThrough(
  state: SamplerState,
  record: TraceRecord,
  o: ResolvedSamplerOptions,
): SamplerState {
  const n = state.tokens.length;
  for (let i = 0; i < n; i++) {
    if (record.before[i] !== state.tokens[i]) {
      throw new Error(`call ${record.call + 1} does not continue the window before it`);
    }
  }
  const tokens = Int32Array.from(record.after);
  const committedAt = state.committedAt.slice();
  const decision: StepDecision = {
    candidates: blockCandidates(state, o),
    commit: [],
    remask: [],
    edit: [],
    discardsGuesses: false,
  };
  record.status.forEach((s, i) => {
    if (s === 'committed') decision.commit.push(i);
    else if (s === 'edited') decision.edit!.push(i);
    else if (s === 'remasked' && record.before[i] !== state.maskId) decision.remask.push(i);
    if (s === 'committed' || s === 'edited') {
      committedAt[i] = tokens[i] === state.maskId ? -1 : state.call;
    } else if (s === 'remasked') committedAt[i] = -1;
  });
  const updated: SamplerState = { ...state, tokens, committedAt, call: state.call + 1 };
  return {
    ...updated,
    ...strategyFor(o.strategy).advance(updated, o, { before: state, decision }),
  };
}

function checkPins(
  source: BranchSource,
  canvas: readonly number[],
  pins: readonly BranchPin[],
  inherited: readonly LineagePin[],
) {
  const seen = new Set<number>(inherited.map((p) => p.position));
  for (const { position, token } of pins) {
    const where = `position ${position + 1}`;
    if (!Number.isInteger(position) || position < source.promptLength || position >= canvas.length)
      throw new Error(`${where} is not a written position of the window`);
    if (source.pinned[position] || seen.has(position))
      throw new Error(`${where} is already pinned`);
    seen.add(position);
    if (
      !Number.isInteger(token) ||
      token < 0 ||
      token >= source.vocabSize ||
      token === source.maskId
    )
      throw new Error(`${where}: ${token} is not a word of the vocabulary`);
  }
}

/**
 * The sampler state a branch starts from: the window after call `atCall` of `source`, the words
 * `pins` pinned there, and the strategy of `options` taking over as `mode` says. Throws, in
 * words, when these settings cannot go on from there.
 */
export function branchStart(
  source: BranchSource,
  atCall: number,
  options: ResolvedSamplerOptions,
  pins: readonly BranchPin[],
  mode: BranchMode,
): BranchStart {
  const o = resolveOptions(options);
  if (!Number.isInteger(atCall) || atCall < 0 || atCall > source.records.length) {
    throw new Error(`a run of ${source.records.length} calls has no call ${atCall}`);
  }
  const canvas = canvasAt(source, atCall);
  // Words pinned by earlier branches on the path, in force by the branch point.
  const inherited = (source.pins ?? []).filter((p) => p.fromCall < atCall);
  checkPins(source, canvas, pins, inherited);
  for (const { position, token } of pins) canvas[position] = token;
  const init = initOf(source);
  let state: SamplerState;
  let callOffset = 0;
  if (mode === 'continue') {
    state = createInitialState(init, source.maskId, o);
    for (let k = 0; k < atCall; k++) {
      if (state.done) {
        throw new Error(
          `with these settings the sampler would have finished after ${k} calls, before call ${atCall}: branch from an earlier call or give it more steps`,
        );
      }
      state = withPins(
        state,
        inherited.filter((p) => p.fromCall === k),
      );
      state = advanceThrough(state, source.records[k], o);
    }
    state = withPins(state, pins);
  } else {
    // A fresh start whose window is the canvas: prompt and pins pinned, the tokens written so far
    // committed (so a remasking or editing rule may still change them).
    const infill = [...(init.infill ?? []), ...inherited, ...pins].map(({ position, token }) => ({
      position,
      token,
    }));
    const base = startingTokens({ ...init, infill }, source.maskId, o);
    const tokens = Int32Array.from(canvas);
    const committedAt = Int32Array.from(canvas, (t, i) =>
      base.pinned[i] || t === source.maskId ? -1 : 0,
    );
    const withCanvas: SamplerState = { ...base, tokens, committedAt };
    const fresh: SamplerState = { ...withCanvas, initialMasked: countMasked(withCanvas) };
    state = { ...fresh, ...strategyFor(o.strategy).start(fresh, o) };
    callOffset = atCall;
  }
  if (countMasked(state) === 0) {
    throw new Error(`nothing is masked after call ${atCall}: branch from an earlier call`);
  }
  if (state.done) {
    throw new Error(`with these settings the sampler has no call left after call ${atCall}`);
  }
  const all = [...inherited, ...pins.map((p) => ({ ...p, fromCall: atCall }))];
  return { state, callOffset, canvas, pins: all };
}

/** The state with words pinned (from the coming call on). */
function withPins(state: SamplerState, pins: readonly BranchPin[]): SamplerState {
  if (pins.length === 0) return state;
  const tokens = state.tokens.slice();
  const pinned = state.pinned.slice();
  const committedAt = state.committedAt.slice();
  for (const { position, token } of pins) {
    tokens[position] = token;
    pinned[position] = 1;
    committedAt[position] = -1;
  }
  return { ...state, tokens, pinned, committedAt };
}

/**
 * A branch's lineage: its id and its parent's, every word pinned on its path, and the options of
 * the calls it keeps (the parent's stretches, then the parent's own options).
 */
export function branchLineage(
  source: BranchSource,
  start: BranchStart,
  ids: { id: string; parent: TraceParent },
): TraceLineage {
  const atCall = ids.parent.atCall;
  const earlier = (source.earlier ?? []).filter((seg) => seg.fromCall < atCall);
  const ownFrom = source.ownFrom ?? 0;
  if (source.options && ownFrom < atCall)
    earlier.push({ fromCall: ownFrom, options: source.options });
  return {
    id: ids.id,
    parent: ids.parent,
    ...(start.pins.length > 0 ? { pins: start.pins } : {}),
    ...(earlier.length > 0 ? { earlier } : {}),
  };
}

/**
 * A branch's whole trace: the parent's first atCall records, then the branch's own, under the
 * branch's options, with its lineage (branchLineage).
 */
export function branchTrace(
  source: BranchSource,
  options: ResolvedSamplerOptions,
  start: BranchStart,
  own: readonly TraceRecord[],
  ids: { id: string; parent: TraceParent },
): SamplerTrace {
  const records = [...source.records.slice(0, ids.parent.atCall), ...own];
  return {
    schema: TRACE_SCHEMA,
    options,
    vocabSize: source.vocabSize,
    maskId: source.maskId,
    promptLength: source.promptLength,
    initial: source.initial.slice(),
    pinned: source.pinned.slice(),
    records,
    final: (records.at(-1)?.after ?? start.canvas).slice(),
    lineage: branchLineage(source, start, ids),
  };
}

/** The start of a branch trace's own calls, read from the trace itself (to replay them). */
export function branchStartOf(trace: SamplerTrace): BranchStart {
  const parent = trace.lineage?.parent;
  if (!parent) throw new Error('this trace is not a branch');
  const pins = trace.lineage?.pins ?? [];
  const own = pins.filter((p) => p.fromCall === parent.atCall);
  return branchStart(
    { ...trace, pins, earlier: trace.lineage?.earlier, ownFrom: parent.atCall },
    parent.atCall,
    trace.options,
    own.map(({ position, token }) => ({ position, token })),
    parent.mode,
  );
}

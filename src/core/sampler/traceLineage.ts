/**
 * Where a trace sits in a tree of runs (rewind and branch): its own id, and for a branch, the run
 * it branched from, the call it branched at, how its sampler took over, and the words pinned at
 * that point. One optional field of a trace (`lineage`), kept here with its validation so the
 * trace schema's other fields stay as they were; traces without it import as they always did.
 *
 * A branch's trace is whole: records[0 : atCall] are its parent's calls (shared, not made again),
 * the records after them its own, so it plays back, exports and imports like any other run.
 */
import { resolveOptions, type ResolvedSamplerOptions, type SamplerOptions } from './options';

/**
 * How a branch's sampler takes over at the branch point:
 * - 'continue': the parent's strategy and blocks, other knobs (steps, temperature, threshold, a
 *   pinned word…): the sampler is the one that would have made the parent's first atCall calls
 *   with the new knobs, and goes on from there (its schedule and t go on where they were);
 * - 'restart': another strategy or other blocks: the strategy starts afresh on the window at the
 *   branch point, as if that window were its start (its schedule counts from there).
 */
export type BranchMode = 'continue' | 'restart';

export interface BranchPin {
  /** 0-based window position. */
  position: number;
  token: number;
}

/** A word pinned after the start of a run: in force from record `fromCall` on. */
export interface LineagePin extends BranchPin {
  fromCall: number;
}

export interface TraceParent {
  /** The parent trace's lineage id. */
  id: string;
  /** Calls shared with the parent: records[0 : atCall] are the parent's. */
  atCall: number;
  mode: BranchMode;
}

/** The options a stretch of a branch's calls was made with, from `fromCall` to the next stretch. */
export interface OptionsSegment {
  fromCall: number;
  options: ResolvedSamplerOptions;
}

export interface TraceLineage {
  /** This run's id: a branch names its parent by it. */
  id: string;
  /** Absent for a root run. */
  parent?: TraceParent;
  /**
   * The options of the calls before the branch point, by stretch (the parent's own calls, its
   * parent's before them…), first from call 0; the trace's `options` apply from the branch point
   * on. So each call can be described with the rule that made it. Absent = the trace's options
   * made every call.
   */
  earlier?: OptionsSegment[];
  /**
   * Words pinned after the start, by this branch (fromCall = its atCall) or by the branches it
   * comes from (earlier calls): the trace's `pinned` is the start's. Absent = none.
   */
  pins?: LineagePin[];
}

/** Same strategy and blocks: the sampler continues; otherwise it restarts on the window. */
export function branchMode(
  parent: Pick<ResolvedSamplerOptions, 'strategy' | 'blockLength'>,
  branch: Pick<ResolvedSamplerOptions, 'strategy' | 'blockLength'>,
): BranchMode {
  return parent.strategy === branch.strategy && parent.blockLength === branch.blockLength
    ? 'continue'
    : 'restart';
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);
const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 200;

/** What the lineage is checked against: the rest of the trace, already checked. */
export interface LineageContext {
  length: number;
  vocabSize: number;
  maskId: number;
  promptLength: number;
  pinned: readonly boolean[];
  records: number;
}

/**
 * Checks an imported `lineage` value; every problem goes to `problem(path, message)`. Returns the
 * lineage, or null when it has a problem.
 */
export function parseLineage(
  x: unknown,
  c: LineageContext,
  problem: (path: string, message: string) => void,
): TraceLineage | null {
  if (!isObj(x)) return (problem('lineage', 'expected an object'), null);
  let ok = true;
  const bad = (path: string, message: string) => {
    ok = false;
    problem(path, message);
  };
  if (!isId(x.id)) bad('lineage.id', 'expected a non-empty string (at most 200 characters)');
  let parent: TraceParent | undefined;
  if (x.parent !== undefined) {
    const p = x.parent;
    if (!isObj(p)) bad('lineage.parent', 'expected an object');
    else {
      if (!isId(p.id)) bad('lineage.parent.id', 'expected a non-empty string');
      if (!isInt(p.atCall) || p.atCall < 0 || p.atCall > c.records) {
        bad('lineage.parent.atCall', `expected an integer in [0, ${c.records}] (the records)`);
      }
      if (p.mode !== 'continue' && p.mode !== 'restart') {
        bad(
          'lineage.parent.mode',
          `expected 'continue' or 'restart', found ${JSON.stringify(p.mode)}`,
        );
      }
      parent = { id: p.id as string, atCall: p.atCall as number, mode: p.mode as BranchMode };
    }
  }
  const pins: LineagePin[] = [];
  if (x.pins !== undefined && !Array.isArray(x.pins)) bad('lineage.pins', 'expected an array');
  else {
    ((x.pins as unknown[] | undefined) ?? []).forEach((pin: unknown, j) => {
      const at = `lineage.pins[${j}]`;
      if (!isObj(pin) || !isInt(pin.position) || !isInt(pin.token) || !isInt(pin.fromCall)) {
        bad(at, 'expected { position, token, fromCall } integers');
        return;
      }
      const { position, token, fromCall } = pin;
      if (position < c.promptLength || position >= c.length || c.pinned[position]) {
        bad(`${at}.position`, `${position} is not a written position of the window`);
      } else if (pins.some((q) => q.position === position)) {
        bad(`${at}.position`, `${position} is pinned twice`);
      }
      if (token < 0 || token >= c.vocabSize || token === c.maskId) {
        bad(`${at}.token`, `expected a token id in [0, ${c.vocabSize}) other than the mask id`);
      }
      if (fromCall < 0 || fromCall >= c.records) {
        bad(`${at}.fromCall`, `expected a call with a record, in [0, ${c.records})`);
      }
      pins.push({ position, token, fromCall });
    });
  }
  const earlier: OptionsSegment[] = [];
  if (x.earlier !== undefined && !Array.isArray(x.earlier))
    bad('lineage.earlier', 'expected an array');
  else {
    ((x.earlier as unknown[] | undefined) ?? []).forEach((seg: unknown, j) => {
      const at = `lineage.earlier[${j}]`;
      const last = earlier.at(-1)?.fromCall ?? -1;
      if (
        !isObj(seg) ||
        !isInt(seg.fromCall) ||
        seg.fromCall <= last ||
        seg.fromCall >= c.records
      ) {
        bad(`${at}.fromCall`, `expected an increasing call in [0, ${c.records})`);
        return;
      }
      if (j === 0 && seg.fromCall !== 0)
        bad(`${at}.fromCall`, 'the first stretch starts at call 0');
      try {
        const options = resolveOptions(seg.options as SamplerOptions);
        earlier.push({ fromCall: seg.fromCall, options });
      } catch (e) {
        bad(`${at}.options`, (e as Error).message);
      }
    });
  }
  if (!ok) return null;
  return {
    id: x.id as string,
    ...(parent ? { parent } : {}),
    ...(pins.length > 0 ? { pins } : {}),
    ...(earlier.length > 0 ? { earlier } : {}),
  };
}

/** The options call `call` of a run was made with (a branch's earlier calls: its ancestors'). */
export function optionsOfCall(
  options: ResolvedSamplerOptions,
  lineage: TraceLineage | null | undefined,
  call: number,
): ResolvedSamplerOptions {
  const from = lineage?.parent?.atCall ?? 0;
  if (call >= from || !lineage?.earlier) return options;
  let found = options;
  for (const seg of lineage.earlier) if (seg.fromCall <= call) found = seg.options;
  return found;
}

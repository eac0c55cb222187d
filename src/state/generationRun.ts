/**
 * One run of the generation view: where it came from, the window it started from, and the trace
 * records as they arrive (one per model call). Frames are derived from it: frame 0 is the start,
 * frame f the state after model call f, so stepping back is reading an earlier record, never
 * undoing anything.
 */
import {
  createInitialState,
  dusCallCount,
  type TraceLineage,
  type ResolvedSamplerOptions,
  type SamplerTrace,
  type TraceRecord,
} from '../core/sampler';
import type { RunKey } from './generationConfig';
import type { PlannedRun } from './runPlan';

export interface GenerationRun {
  key: RunKey;
  /**
   * 'model': computed now by the loaded model; 'import': replayed from a trace file;
   * 'recorded': the model package's arrival trace, the default run precomputed by the same model
   * (src/state/arrivalRun.ts), played while the model loads; 'branch': a branch of another run
   * (src/state/runTree.ts), its parent's calls up to the branch point then its own; 'human': a
   * person's run, the person deciding each call (be the sampler, src/state/driveSlice.ts).
   */
  source: 'model' | 'import' | 'recorded' | 'branch' | 'human';
  fileName: string | null;
  options: ResolvedSamplerOptions;
  vocabSize: number;
  maskId: number;
  promptLength: number;
  /** The starting window (pinned tokens, [MASK] elsewhere) and which positions are pinned. */
  initial: number[];
  pinned: boolean[];
  records: TraceRecord[];
  /** The worker's measured time of each model call (ms), aligned with records. */
  callMs: number[];
  /** Model calls made for this run, counted where the calls are made (not from the records). */
  modelCalls: number;
  status: 'running' | 'done' | 'error';
  error: string | null;
  /** The whole trace once the run is done (what Export writes). */
  trace: SamplerTrace | null;
  /**
   * Its place in a tree of branches (core/sampler/traceLineage.ts), known from its start: which
   * options made its earlier calls. Absent for a run on its own.
   */
  lineage?: TraceLineage;
}

/** A planned run before its first model call: the starting window, no records yet. */
export function startingRun(planned: PlannedRun, maskId: number, vocabSize: number): GenerationRun {
  const start = createInitialState(planned.init, maskId, planned.options);
  return {
    key: planned.key,
    source: 'model',
    fileName: null,
    options: planned.options,
    vocabSize,
    maskId,
    promptLength: start.promptLength,
    initial: Array.from(start.tokens),
    pinned: Array.from(start.pinned, (x) => x === 1),
    records: [],
    callMs: [],
    modelCalls: 0,
    status: 'running',
    error: null,
    trace: null,
  };
}

/**
 * A finished run from a whole trace: a trace file replayed, or samples the training worker drew
 * (which the Train panel paints with the same strip and transport).
 */
export function runFromTrace(
  trace: SamplerTrace,
  from: { key: RunKey; source: GenerationRun['source']; fileName?: string; callMs?: number[] },
): GenerationRun {
  return {
    key: from.key,
    source: from.source,
    fileName: from.fileName ?? null,
    options: trace.options,
    vocabSize: trace.vocabSize,
    maskId: trace.maskId,
    promptLength: trace.promptLength,
    initial: trace.initial,
    pinned: trace.pinned,
    records: trace.records,
    callMs: from.callMs ?? [],
    modelCalls: 0,
    status: 'done',
    error: null,
    trace,
    ...(trace.lineage ? { lineage: trace.lineage } : {}),
  };
}

/** A run is finished when no more records will come (done, failed or imported). */
export const isFinished = (run: GenerationRun) => run.status !== 'running';

/** The record that produced frame f (null for frame 0); f is clamped to the run's last frame. */
export function recordAt(run: GenerationRun, frame: number) {
  const f = Math.min(frame, run.records.length);
  return f === 0 ? null : run.records[f - 1];
}

/** The window at frame f. */
export function tokensAt(run: GenerationRun, frame: number): number[] {
  return recordAt(run, frame)?.after ?? run.initial;
}

/**
 * The last frame every run can show now. A finished run shows its last frame for any later
 * frame; a running run limits playback to the records it has so far.
 */
export function playableFrame(runs: readonly GenerationRun[]): number {
  if (runs.length === 0) return 0;
  const running = runs.filter((r) => !isFinished(r));
  if (running.length === 0) return Math.max(...runs.map((r) => r.records.length));
  return Math.min(...running.map((r) => r.records.length));
}

export const allFinished = (runs: readonly GenerationRun[]) => runs.every(isFinished);

/** Strategies whose number of calls depends on the model's confidences. */
const DATA_DEPENDENT = new Set<string>([
  'fastdllm.threshold',
  'llada2.threshold',
  'llada21.edit',
  'eb.entropy_bound',
]);

/**
 * How many frames the run will have when done, if the strategy fixes it (one call per step; DUS:
 * one per dilated level of each block); the threshold, editing and entropy-bound loops depend on
 * the model, so only the records so far are known.
 */
export function expectedLastFrame(run: GenerationRun): number {
  if (isFinished(run) || DATA_DEPENDENT.has(run.options.strategy)) return run.records.length;
  if (run.options.strategy === 'dus.dilated') {
    const start = createInitialState(
      {
        prompt: run.initial.slice(0, run.promptLength),
        genLength: run.initial.length - run.promptLength,
      },
      run.maskId,
      run.options,
    );
    return Math.max(dusCallCount(start, run.options), run.records.length);
  }
  return Math.max(run.options.steps, run.records.length);
}

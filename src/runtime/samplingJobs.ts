import {
  runSampler,
  runSamplerFrom,
  withLogitsCache,
  type CacheMode,
  type LogitsCache,
  type LogitsModel,
  type SamplerInit,
  type SamplerOptions,
  type SamplerState,
  type SamplerTrace,
  type TraceRecord,
} from '../core/sampler';
import type { SerialQueue } from './serialQueue';

/** What one model call of a job reports beside its record. */
export interface CallTiming {
  /** The model call alone (ms). */
  ms: number;
  /** The whole step: the model call and the sampler's step function (ms). */
  stepMs: number;
  /** The job's model calls so far (calls answered by the logits cache are not model calls). */
  calls: number;
  /** Whether this record's logits came from the cache instead of the model (ms is then 0). */
  reused: boolean;
}

/**
 * Where a job starts: a fresh window, or a sampler state (a branch's, core/sampler/branch.ts)
 * whose records are numbered state.call + callOffset.
 */
export type JobStart = SamplerInit | { state: SamplerState; callOffset: number };

/** A cache the job's batch-1 model calls go through, and how (core/sampler/logitsCache.ts). */
export interface JobCache {
  cache: LogitsCache;
  mode: CacheMode;
}

export type RecordListener = (record: TraceRecord, timing: CallTiming) => void;

export interface FinishedJob {
  trace: SamplerTrace;
  calls: number;
}

class JobCancelled extends Error {}

/**
 * Sampler runs inside the inference worker. The sampler's loop calls the model where the model
 * lives, so a step costs one session.run plus the step function, not a round trip through the
 * page for every call; the page receives each record as it is made and plays them back.
 */
export class SamplingJobs {
  private readonly running = new Set<number>();
  private readonly cancelled = new Set<number>();

  constructor(private readonly serial: SerialQueue) {}

  /** Stops a job after its current model call (no-op for a job that is not running). */
  cancel(id: number): void {
    if (this.running.has(id)) this.cancelled.add(id);
  }

  /** Stops every running job (the model they use is about to be replaced). */
  cancelAll(): void {
    for (const id of this.running) this.cancelled.add(id);
  }

  /**
   * Runs the sampler to its end on `model`, reporting each record. Returns null when cancelled.
   * Model calls take turns in the worker's serial queue, so jobs interleave call by call.
   */
  async run(
    id: number,
    model: LogitsModel,
    start: JobStart,
    options: SamplerOptions,
    onRecord: RecordListener,
    cache?: JobCache,
  ): Promise<FinishedJob | null> {
    this.running.add(id);
    let calls = 0;
    let lastMs = 0;
    const timed: LogitsModel = {
      vocabSize: model.vocabSize,
      seqLen: model.seqLen,
      maskId: model.maskId,
      logits: (tokens, batch, t) =>
        this.serial.run(async () => {
          // Checked in turn: a load queued before this call may have cancelled the job and
          // released the model.
          if (this.cancelled.has(id)) throw new JobCancelled();
          const t0 = performance.now();
          const out = await model.logits(tokens, batch, t);
          lastMs = performance.now() - t0;
          calls++;
          return out;
        }),
    };
    // The cache sits outside the queue: an input it holds is answered without waiting for the
    // session, and `calls` (counted in the queue) counts only the calls that reach the model.
    const cached = cache ? withLogitsCache(timed, cache.cache, cache.mode) : null;
    const used = cached ?? timed;
    const sampler =
      'state' in start
        ? runSamplerFrom(used, start.state, options, start.callOffset)
        : runSampler(used, start, options);
    try {
      for (;;) {
        if (this.cancelled.has(id)) {
          await sampler.return(undefined as never);
          return null;
        }
        const t0 = performance.now();
        let next: IteratorResult<TraceRecord, SamplerTrace>;
        try {
          next = await sampler.next();
        } catch (e) {
          if (e instanceof JobCancelled) return null;
          throw e;
        }
        if (next.done) return { trace: next.value, calls };
        const reused = cached?.lastReused ?? false;
        const ms = reused ? 0 : lastMs;
        onRecord(next.value, { ms, stepMs: performance.now() - t0, calls, reused });
      }
    } finally {
      this.running.delete(id);
      this.cancelled.delete(id);
    }
  }
}

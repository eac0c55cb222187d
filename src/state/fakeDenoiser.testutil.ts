/**
 * The inference worker as the store sees it (WorkerDenoiser's sample and logitsVia), in-process:
 * the same SamplingJobs and LogitsCache the worker uses, over a pseudo-random model that counts
 * every input that reaches it. For tests of the store only.
 */
import {
  LogitsCache,
  logitsKey,
  withLogitsCache,
  type CacheMode,
  type LogitsModel,
  type SamplerInit,
  type SamplerOptions,
  type SamplerState,
  type TraceRecord,
} from '../core/sampler';
import { randomModel } from '../core/sampler/fakeModels.testutil';
import { SamplingJobs, type CallTiming } from '../runtime/samplingJobs';
import { SerialQueue } from '../runtime/serialQueue';

export function fakeDenoiser(vocab: number, seqLen: number, maskId: number, seed = 5) {
  const inner = randomModel(vocab, seqLen, maskId, seed);
  const inputs: string[] = [];
  const model: LogitsModel = {
    ...inner,
    async logits(tokens, batch, t) {
      inputs.push(logitsKey(tokens, t));
      return inner.logits(tokens, batch, t);
    },
  };
  const cache = new LogitsCache();
  const jobs = new SamplingJobs(new SerialQueue());
  let nextId = 1;
  return {
    /** Every model input that reached the model, in order. */
    inputs,
    cache,
    sample(
      init: SamplerInit,
      options: SamplerOptions,
      onRecord: (record: TraceRecord, timing: CallTiming) => void,
      extra: { from?: { state: SamplerState; callOffset: number }; cache?: CacheMode } = {},
    ) {
      const id = nextId++;
      const done = jobs
        .run(
          id,
          model,
          extra.from ?? init,
          options,
          onRecord,
          extra.cache ? { cache, mode: extra.cache } : undefined,
        )
        .then((r) => ({ trace: r?.trace ?? null, calls: r?.calls ?? 0 }));
      return { done, cancel: () => jobs.cancel(id) };
    },
    async logitsVia(tokens: Int32Array, batch: number, t?: Float32Array, mode?: CacheMode) {
      const cached = withLogitsCache(model, cache, mode ?? 'fill');
      const logits = (await cached.logits(tokens, batch, t)) as Float32Array;
      return { logits, ms: 0, reused: cached.lastReused };
    },
  };
}

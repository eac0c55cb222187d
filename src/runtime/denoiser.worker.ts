/// <reference lib="webworker" />
import { OrtModel } from './ortModel';
import type { Provider, RecordItem, WorkerRequest, WorkerResponse } from './protocol';
import { RecordBatcher } from './recordBatcher';
import { openWithProvider } from './providerSelection';
import { ortBuildFor, type OrtBuild } from './ortBuildChoice';
import { loadOrt } from './ortWeb';
import { SamplingJobs } from './samplingJobs';
import { SerialQueue } from './serialQueue';
import { describeWebGpuAdapter } from './webgpuAdapter';
import { LogitsCache, withLogitsCache } from '../core/sampler';

/**
 * Inference off the main thread: one onnxruntime-web session, reused for every call. Logits go
 * back as transferred buffers. The sampler also runs here ('sample'), next to the model, and
 * streams its records to the page, a frame's worth at a time.
 */
let current: { model: OrtModel; onnx: Uint8Array; build: OrtBuild } | null = null;

// Every use of the session takes its turn here: ORT sessions must not run concurrently.
const serial = new SerialQueue();
const jobs = new SamplingJobs(serial);
// Logits of the loaded model by exact input, for the calls that ask for it (a generation fills
// it, branches and a person's run read it): no model call is made twice for the same input.
const cache = new LogitsCache();

const reply = (msg: WorkerResponse, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

function loaded(): NonNullable<typeof current> {
  if (!current) throw new Error('no model is loaded');
  return current;
}

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.kind) {
    case 'load': {
      const onnx = new Uint8Array(req.onnx);
      // One turn of the queue: requests sent after this one see the new model, never a mix.
      const backend = await serial.run(async () => {
        // The build follows the provider choice: a machine that will only run WASM loads the
        // plain WASM build, half the download of the WebGPU one.
        const adapter = await describeWebGpuAdapter();
        const build = ortBuildFor(req.provider, adapter);
        const module = await loadOrt(build);
        // The previous model stays loaded until the new one has passed every check.
        const opened = await openWithProvider(
          { module, build },
          adapter,
          onnx,
          req.manifest,
          req.provider,
        );
        // Runs still sampling use the old session: they stop before it is released.
        jobs.cancelAll();
        const previous = current;
        current = { model: opened.model, onnx, build };
        cache.clear();
        if (previous) await previous.model.release();
        return opened.backend;
      });
      reply({ kind: 'loaded', id: req.id, backend });
      return;
    }
    case 'logits': {
      // Looked up in turn, so a load queued before this call has already replaced the model.
      const { logits, ms, reused } = await serial.run(async () => {
        const { model } = loaded();
        // Through the model's logits cache when asked (the same wrapper the sampler jobs use).
        const cached = req.cache ? withLogitsCache(model, cache, req.cache) : null;
        const t0 = performance.now();
        // Float32: the ORT model's, or a copy of them from the cache.
        const out = (await (cached ?? model).logits(req.tokens, req.batch, req.t)) as Float32Array;
        const hit = cached?.lastReused ?? false;
        return { logits: out, ms: hit ? 0 : performance.now() - t0, reused: hit };
      });
      reply({ kind: 'logits', id: req.id, logits, ms, reused }, [logits.buffer]);
      return;
    }
    case 'sample': {
      // Resolved in turn, so a sample sent after a load runs on the new model.
      const model = await serial.run(async () => loaded().model);
      const batcher = new RecordBatcher<RecordItem>((items) =>
        reply({ kind: 'records', id: req.id, items }),
      );
      let done: Awaited<ReturnType<SamplingJobs['run']>>;
      try {
        done = await jobs.run(
          req.id,
          model,
          req.from ?? req.init,
          req.options,
          (record, timing) => batcher.add({ record, ...timing }),
          req.cache ? { cache, mode: req.cache } : undefined,
        );
      } finally {
        // Records made before a failure still reach the page, ahead of the error.
        batcher.flush();
      }
      reply({ kind: 'sampled', id: req.id, trace: done?.trace ?? null, calls: done?.calls ?? 0 });
      return;
    }
    case 'cancel':
      jobs.cancel(req.target);
      return;
    case 'callModes': {
      // In turn: the answer is about the model that the requests before it used.
      const gpuCalls = await serial.run(async () => loaded().model.gpuCallModes());
      reply({ kind: 'callModes', id: req.id, gpuCalls });
      return;
    }
    case 'compare': {
      const result = await serial.run(async () => {
        const { model: first, onnx, build } = loaded();
        const other: Provider = first.provider === 'webgpu' ? 'wasm' : 'webgpu';
        const second = await OrtModel.create(
          await loadOrt(other === 'webgpu' ? 'webgpu' : build),
          onnx,
          first.manifest,
          other,
        );
        try {
          const a = await first.run(req.tokens, req.batch, req.t);
          const b = await second.run(req.tokens, req.batch, req.t);
          let maxAbsDiff = 0;
          for (let i = 0; i < a.length; i++)
            maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[i] - b[i]));
          return { maxAbsDiff, providers: [first.provider, other] };
        } finally {
          await second.release();
        }
      });
      reply({ kind: 'compared', id: req.id, ...result });
      return;
    }
  }
}

// Requests start in arrival order; each waits for the session in the serial queue, so a sample
// job does not hold up the page's other requests for its whole run, only for one call at a time.
self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  handle(req).catch((e: unknown) => {
    const err = e as Error & { problems?: string[] };
    reply({
      kind: 'error',
      id: req.id,
      message: err.problems ? err.problems.join('\n') : String(err.message ?? e),
    });
  });
};

/// <reference lib="webworker" />
import { OrtModel } from './ortModel';
import type { Provider, WorkerRequest, WorkerResponse } from './protocol';
import { openWithProvider } from './providerSelection';
import { ortWeb } from './ortWeb';

/**
 * Inference off the main thread: one onnxruntime-web session, reused for every call. Requests
 * are answered in order; logits go back as transferred buffers.
 */
let current: { model: OrtModel; onnx: Uint8Array } | null = null;

const reply = (msg: WorkerResponse, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

async function handle(req: WorkerRequest): Promise<void> {
  switch (req.kind) {
    case 'load': {
      const onnx = new Uint8Array(req.onnx);
      // The previous model stays loaded until the new one has passed every check.
      const { model, backend } = await openWithProvider(ortWeb, onnx, req.manifest, req.provider);
      const previous = current;
      current = { model, onnx };
      if (previous) await previous.model.release();
      reply({ kind: 'loaded', id: req.id, backend });
      return;
    }
    case 'logits': {
      if (!current) throw new Error('no model is loaded');
      const t0 = performance.now();
      const logits = await current.model.run(req.tokens, req.batch, req.t);
      reply({ kind: 'logits', id: req.id, logits, ms: performance.now() - t0 }, [logits.buffer]);
      return;
    }
    case 'compare': {
      if (!current) throw new Error('no model is loaded');
      const other: Provider = current.model.provider === 'webgpu' ? 'wasm' : 'webgpu';
      const second = await OrtModel.create(ortWeb, current.onnx, current.model.manifest, other);
      try {
        const a = await current.model.run(req.tokens, req.batch, req.t);
        const b = await second.run(req.tokens, req.batch, req.t);
        let maxAbsDiff = 0;
        for (let i = 0; i < a.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(a[i] - b[i]));
        reply({
          kind: 'compared',
          id: req.id,
          maxAbsDiff,
          providers: [current.model.provider, other],
        });
      } finally {
        await second.release();
      }
      return;
    }
  }
}

// Serialise requests: ORT sessions must not run concurrently.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const req = event.data;
  queue = queue.then(() =>
    handle(req).catch((e: unknown) => {
      const err = e as Error & { problems?: string[] };
      reply({
        kind: 'error',
        id: req.id,
        message: err.problems ? err.problems.join('\n') : String(err.message ?? e),
      });
    }),
  );
};

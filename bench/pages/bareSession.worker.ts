/// <reference lib="webworker" />
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { ModelManifest } from '../../src/model/manifest';
import type { Ort } from '../../src/runtime/ortModel';
import { ortBuildFor } from '../../src/runtime/ortBuildChoice';
import { loadOrt, setWasmThreads, wasmThreadsInUse } from '../../src/runtime/ortWeb';
import { describeWebGpuAdapter } from '../../src/runtime/webgpuAdapter';
import type { BareRequest, BareResponse } from './bareSession.protocol';

/**
 * The reference the app's Denoiser is measured against: onnxruntime-web's session.run in a
 * loop, nothing else — no protocol, no copies, no checks. Same ORT build (the one the app's
 * worker loads for that provider, ortBuildChoice.ts) and configuration (src/runtime/ortWeb.ts),
 * timed inside this worker.
 */
let open: { session: InferenceSession; manifest: ModelManifest; ort: Ort } | null = null;

const reply = (msg: BareResponse, transfer: Transferable[] = []) =>
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(msg, transfer);

function feedsFor(ort: Ort, manifest: ModelManifest, batch: number): Record<string, Tensor> {
  const L = manifest.seqLen;
  // The first step of a generation: every position masked, t = 1.
  const tokens = new Int32Array(batch * L).fill(manifest.special.mask);
  const feeds: Record<string, Tensor> = {
    [manifest.io.tokens]:
      manifest.io.tokenType === 'int64'
        ? new ort.Tensor('int64', BigInt64Array.from(tokens, BigInt), [batch, L])
        : new ort.Tensor('int32', tokens, [batch, L]),
  };
  if (manifest.io.t !== null) {
    feeds[manifest.io.t] = new ort.Tensor('float32', new Float32Array(batch).fill(1), [batch, 1]);
  }
  return feeds;
}

async function handle(req: BareRequest): Promise<[BareResponse, Transferable[]]> {
  if (req.kind === 'open') {
    if (open) throw new Error('this worker already holds a session');
    const ort = await loadOrt(ortBuildFor(req.provider, await describeWebGpuAdapter()));
    setWasmThreads(ort, req.threads);
    const session = await ort.InferenceSession.create(new Uint8Array(req.onnx), {
      executionProviders: [req.provider],
      graphOptimizationLevel: 'all',
    });
    open = { session, manifest: req.manifest, ort };
    return [{ kind: 'opened', threadsInUse: wasmThreadsInUse(ort) }, []];
  }
  if (!open) throw new Error('no session is open');
  const { session, manifest, ort } = open;
  if (req.kind === 'call') {
    // One call per message, logits sent back: ORT plus the messaging, none of our layers.
    const t0 = performance.now();
    const results = await session.run(feedsFor(ort, manifest, req.batch));
    const logits = (results[manifest.io.logits].data as Float32Array).slice();
    const ms = performance.now() - t0;
    for (const v of Object.values(results)) v.dispose();
    return [{ kind: 'logits', logits, ms }, [logits.buffer]];
  }
  const ms: number[] = [];
  for (let i = 0; i < req.calls; i++) {
    const t0 = performance.now();
    const results = await session.run(feedsFor(ort, manifest, req.batch));
    const logits = results[manifest.io.logits].data as Float32Array;
    ms.push(performance.now() - t0);
    if (logits.length === 0) throw new Error('the model returned no logits');
    for (const v of Object.values(results)) v.dispose();
  }
  return [{ kind: 'timed', ms }, []];
}

let queue: Promise<void> = Promise.resolve();
self.onmessage = (event: MessageEvent<BareRequest>) => {
  queue = queue.then(() =>
    handle(event.data).then(
      ([msg, transfer]) => reply(msg, transfer),
      (e: unknown) => reply({ kind: 'error', message: String((e as Error).message ?? e) }),
    ),
  );
};

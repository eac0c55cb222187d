import type { ModelManifest } from '../model/manifest';
import type { TimingPackage } from '../model/timingPackage';

export interface TimingPackageRequest {
  id: number;
  trained: ModelManifest;
  seqLen: number;
}

export type TimingPackageReply = { id: number; pkg: TimingPackage } | { id: number; error: string };

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<
  number,
  { resolve: (p: TimingPackage) => void; reject: (e: Error) => void }
>();

function builder(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./timingPackage.worker.ts', import.meta.url), { type: 'module' });
  w.onmessage = (event: MessageEvent<TimingPackageReply>) => {
    const reply = event.data;
    const p = pending.get(reply.id);
    if (!p) return;
    pending.delete(reply.id);
    if ('error' in reply) p.reject(new Error(reply.error));
    else p.resolve(reply.pkg);
  };
  w.onerror = (event) => {
    const err = new Error(`the timing-package worker failed: ${event.message}`);
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    // The next request starts a fresh worker.
    w.terminate();
    worker = null;
  };
  worker = w;
  return w;
}

/**
 * buildTimingPackage (src/model/timingPackage.ts) in a worker of its own, so that neither its
 * CPU time nor the ONNX builder's code (protobuf) lands on the page's main thread.
 */
export function buildTimingPackageOffThread(
  trained: ModelManifest,
  seqLen: number,
): Promise<TimingPackage> {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    builder().postMessage({ id, trained, seqLen } satisfies TimingPackageRequest);
  });
}

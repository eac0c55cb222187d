import type { ModelManifest } from '../model/manifest';
import type { BackendInfo, ProviderChoice } from '../runtime/protocol';
import { WorkerDenoiser } from '../runtime/workerDenoiser';

/**
 * The labs' own inference workers, one per role, apart from the page's shared one: a lab needs
 * the diffusion model and its autoregressive twin open at once, and running a lab must not
 * replace the model the other views show. Created on first use, so store tests need no Worker.
 */
export type LabWorkerRole =
  /** The trained pair (likelihood lab; speed lab at the trained window). */
  | 'pair.diffusion'
  | 'pair.autoregressive'
  /** Same-architecture packages at other windows (speed lab timing). */
  | 'timing.diffusion'
  | 'timing.autoregressive'
  | (string & {});

interface LabWorker {
  denoiser: WorkerDenoiser;
  /** What it holds: the manifest object and provider of the last successful load. */
  loaded: { manifest: ModelManifest; provider: ProviderChoice; backend: BackendInfo } | null;
}

const workers = new Map<string, LabWorker>();

function workerFor(role: LabWorkerRole): LabWorker {
  let w = workers.get(role);
  if (!w) {
    w = { denoiser: new WorkerDenoiser(), loaded: null };
    workers.set(role, w);
  }
  return w;
}

/**
 * The worker of `role` holding this package (loaded now unless it already holds the same
 * manifest object on the same provider choice); its backend as reported by the worker.
 */
export async function labDenoiser(
  role: LabWorkerRole,
  pkg: { manifest: ModelManifest; onnx: ArrayBuffer | Uint8Array },
  provider: ProviderChoice,
): Promise<{ denoiser: WorkerDenoiser; backend: BackendInfo }> {
  const w = workerFor(role);
  if (w.loaded?.manifest === pkg.manifest && w.loaded.provider === provider) {
    return { denoiser: w.denoiser, backend: w.loaded.backend };
  }
  const bytes =
    pkg.onnx instanceof ArrayBuffer
      ? pkg.onnx
      : (pkg.onnx.buffer.slice(
          pkg.onnx.byteOffset,
          pkg.onnx.byteOffset + pkg.onnx.byteLength,
        ) as ArrayBuffer);
  w.loaded = null;
  const backend = await w.denoiser.load(pkg.manifest, bytes, provider);
  w.loaded = { manifest: pkg.manifest, provider, backend };
  return { denoiser: w.denoiser, backend };
}

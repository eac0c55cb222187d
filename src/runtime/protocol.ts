import type { ModelManifest } from '../model/manifest';

/** What the user asks for. 'auto' = WebGPU when a hardware adapter runs faster, else WASM. */
export type ProviderChoice = 'auto' | 'webgpu' | 'wasm';
export type Provider = 'webgpu' | 'wasm';

/** The execution provider that really ran, and why it was chosen. */
export interface BackendInfo {
  provider: Provider;
  /** Adapter description (vendor / architecture), null when WebGPU is not available. */
  adapter: string | null;
  softwareAdapter: boolean;
  /** Set when the requested provider could not run and another one took over. */
  fallbackReason: string | null;
  /** Why 'auto' chose this provider (warm-up timings). */
  choice: string;
  wasmThreads: number;
  sessionMs: number;
  warmupMsPerCall: number;
}

export type WorkerRequest =
  | {
      kind: 'load';
      id: number;
      manifest: ModelManifest;
      onnx: ArrayBuffer;
      provider: ProviderChoice;
    }
  | { kind: 'logits'; id: number; tokens: Int32Array; batch: number; t?: Float32Array }
  | { kind: 'compare'; id: number; tokens: Int32Array; batch: number; t?: Float32Array };

export type WorkerResponse =
  | { kind: 'loaded'; id: number; backend: BackendInfo }
  | { kind: 'logits'; id: number; logits: Float32Array; ms: number }
  | { kind: 'compared'; id: number; maxAbsDiff: number; providers: Provider[] }
  | { kind: 'error'; id: number; message: string };

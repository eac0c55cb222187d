import type {
  CacheMode,
  SamplerInit,
  SamplerOptions,
  SamplerState,
  SamplerTrace,
  TraceRecord,
} from '../core/sampler';
import type { ModelManifest } from '../model/manifest';
import type { CallModeDecision, GpuCallMode } from './gpuCallModes';
import type { OrtBuild } from './ortBuildChoice';

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
  /** The onnxruntime-web build the worker loaded (ortBuildChoice.ts). */
  ortBuild: OrtBuild;
  sessionMs: number;
  warmupMsPerCall: number;
  /**
   * On WebGPU: how calls are made (gpuCallModes.ts): the warm-up's trial of the window's shape
   * (and of any other shape tried by then), and the modes that could not be used, with why.
   */
  gpuCalls: {
    decisions: CallModeDecision[];
    dropped: { mode: GpuCallMode; reason: string }[];
  } | null;
}

export type WorkerRequest =
  | {
      kind: 'load';
      id: number;
      manifest: ModelManifest;
      onnx: ArrayBuffer;
      provider: ProviderChoice;
    }
  /**
   * `cache`: a batch-1 call goes through the worker's logits cache ('use': an input it holds is
   * answered from it; 'fill': the model is called and its answer kept). Absent: not cached.
   */
  | {
      kind: 'logits';
      id: number;
      tokens: Int32Array;
      batch: number;
      t?: Float32Array;
      cache?: CacheMode;
    }
  | { kind: 'compare'; id: number; tokens: Int32Array; batch: number; t?: Float32Array }
  /** Run the sampler in the worker; answered by 'records' (every model call's), then 'sampled'. */
  | {
      kind: 'sample';
      id: number;
      init: SamplerInit;
      options: SamplerOptions;
      /** Start from this sampler state instead of `init` (a branch, core/sampler/branch.ts). */
      from?: { state: SamplerState; callOffset: number };
      /** The job's model calls go through the worker's logits cache (see 'logits'). */
      cache?: CacheMode;
    }
  /** How the loaded model's WebGPU calls are made now (each shape tried so far); 'callModes'. */
  | { kind: 'callModes'; id: number }
  /** Stop the sample job `target` after its current call (answered by nothing). */
  | { kind: 'cancel'; id: number; target: number };

export interface RecordItem {
  record: TraceRecord;
  ms: number;
  stepMs: number;
  calls: number;
  /** The record's logits came from the logits cache: no model call was made for it. */
  reused: boolean;
}

export type WorkerResponse =
  | { kind: 'loaded'; id: number; backend: BackendInfo }
  /** reused: answered from the logits cache (ms 0), no model call made. */
  | { kind: 'logits'; id: number; logits: Float32Array; ms: number; reused: boolean }
  | { kind: 'compared'; id: number; maxAbsDiff: number; providers: Provider[] }
  | { kind: 'callModes'; id: number; gpuCalls: BackendInfo['gpuCalls'] }
  /**
   * Model calls of a sample job, in call order, grouped a frame at a time (recordBatcher.ts):
   * ms = the model call, stepMs = the whole step in the worker (model call and sampler step),
   * calls = the job's model calls so far.
   */
  | { kind: 'records'; id: number; items: RecordItem[] }
  /** The job ended: its whole trace, or null when it was cancelled. */
  | { kind: 'sampled'; id: number; trace: SamplerTrace | null; calls: number }
  | { kind: 'error'; id: number; message: string };

import type { Denoiser } from '../core/denoiser';
import type {
  CacheMode,
  SamplerInit,
  SamplerOptions,
  SamplerState,
  SamplerTrace,
  TraceRecord,
} from '../core/sampler';
import type { ModelManifest } from '../model/manifest';
import type { BackendInfo, ProviderChoice, WorkerRequest, WorkerResponse } from './protocol';
import type { CallTiming } from './samplingJobs';

type RecordsReply = Extract<WorkerResponse, { kind: 'records' }>;
type Pending = {
  resolve: (r: WorkerResponse) => void;
  reject: (e: Error) => void;
  /** Sample jobs: called for every batch of records before the job's final reply. */
  onRecords?: (r: RecordsReply) => void;
};

/** A sampler run in the inference worker, as the page sees it. */
export interface SampleJob {
  /** The whole trace and the model calls made; null trace when cancelled. */
  done: Promise<{ trace: SamplerTrace | null; calls: number }>;
  /** Stops the run after its current model call. */
  cancel(): void;
}
// Distributes Omit over the request union, so each kind keeps its own fields.
type RequestBody = WorkerRequest extends infer R
  ? R extends WorkerRequest
    ? Omit<R, 'id'>
    : never
  : never;

/**
 * The Denoiser the app uses: onnxruntime-web in a Web Worker. The main thread only posts
 * token windows and receives transferred logits, so playback never blocks on inference.
 */
export class WorkerDenoiser implements Denoiser {
  private readonly worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private manifest: ModelManifest | null = null;
  backend: BackendInfo | null = null;
  /**
   * Model calls since the model was loaded (calls the worker's logits cache answered are not
   * counted), and the worker's time for the latest (ms).
   */
  calls = 0;
  lastCallMs = 0;

  constructor() {
    this.worker = new Worker(new URL('./denoiser.worker.ts', import.meta.url), { type: 'module' });
    this.worker.onmessage = (event: MessageEvent<WorkerResponse>) => {
      const msg = event.data;
      const p = this.pending.get(msg.id);
      if (!p) return;
      if (msg.kind === 'records') {
        p.onRecords?.(msg);
        return;
      }
      this.pending.delete(msg.id);
      if (msg.kind === 'error') p.reject(new Error(msg.message));
      else p.resolve(msg);
    };
    this.worker.onerror = (event) => {
      const err = new Error(`the inference worker failed: ${event.message}`);
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
  }

  private request(
    body: RequestBody,
    transfer: Transferable[] = [],
    onRecords?: (r: RecordsReply) => void,
    id = this.nextId++,
  ): Promise<WorkerResponse> {
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onRecords });
      this.worker.postMessage({ ...body, id } as WorkerRequest, transfer);
    });
  }

  get vocabSize(): number {
    return this.manifest?.vocab.length ?? 0;
  }
  get seqLen(): number {
    return this.manifest?.seqLen ?? 0;
  }
  get maskId(): number {
    return this.manifest?.special.mask ?? 0;
  }

  /** Opens a package; on failure the previously loaded model keeps running. */
  async load(
    manifest: ModelManifest,
    onnx: ArrayBuffer,
    provider: ProviderChoice,
  ): Promise<BackendInfo> {
    const copy = onnx.slice(0);
    const res = await this.request({ kind: 'load', manifest, onnx: copy, provider }, [copy]);
    if (res.kind !== 'loaded') throw new Error('unexpected reply from the inference worker');
    this.manifest = manifest;
    this.backend = res.backend;
    this.calls = 0;
    return res.backend;
  }

  async logits(tokens: Int32Array, batch: number, t?: Float32Array): Promise<Float32Array> {
    return (await this.logitsVia(tokens, batch, t)).logits;
  }

  /**
   * A model call that may go through the worker's logits cache (see CacheMode): the logits, the
   * worker's time (0 when reused) and whether the cache answered.
   */
  async logitsVia(
    tokens: Int32Array,
    batch: number,
    t?: Float32Array,
    cache?: CacheMode,
  ): Promise<{ logits: Float32Array; ms: number; reused: boolean }> {
    const res = await this.request({
      kind: 'logits',
      tokens: tokens.slice(),
      batch,
      t: t?.slice(),
      cache,
    });
    if (res.kind !== 'logits') throw new Error('unexpected reply from the inference worker');
    if (!res.reused) {
      this.calls++;
      this.lastCallMs = res.ms;
    }
    return { logits: res.logits, ms: res.ms, reused: res.reused };
  }

  /**
   * Runs the sampler next to the model, in the worker: records and timings come back a frame's
   * worth at a time instead of a round trip per call, so a step costs what the model costs.
   * onRecord sees every record, in call order.
   */
  sample(
    init: SamplerInit,
    options: SamplerOptions,
    onRecord: (record: TraceRecord, timing: CallTiming) => void,
    extra: { from?: { state: SamplerState; callOffset: number }; cache?: CacheMode } = {},
  ): SampleJob {
    const id = this.nextId++;
    const done = this.request(
      { kind: 'sample', init, options, ...extra },
      [],
      (r) => {
        for (const item of r.items) {
          if (!item.reused) {
            this.calls++;
            this.lastCallMs = item.ms;
          }
          onRecord(item.record, {
            ms: item.ms,
            stepMs: item.stepMs,
            calls: item.calls,
            reused: item.reused,
          });
        }
      },
      id,
    ).then((res) => {
      if (res.kind !== 'sampled') throw new Error('unexpected reply from the inference worker');
      return { trace: res.trace, calls: res.calls };
    });
    return {
      done,
      cancel: () => this.worker.postMessage({ kind: 'cancel', id: this.nextId++, target: id }),
    };
  }

  /** Runs the same input on WebGPU and WASM and returns the largest logit difference. */
  async compareProviders(tokens: Int32Array, batch: number, t?: Float32Array) {
    const res = await this.request({
      kind: 'compare',
      tokens: tokens.slice(),
      batch,
      t: t?.slice(),
    });
    if (res.kind !== 'compared') throw new Error('unexpected reply from the inference worker');
    return { maxAbsDiff: res.maxAbsDiff, providers: res.providers };
  }

  /**
   * The loaded model's WebGPU call modes as they stand: the load's trial and every shape tried
   * since (a lab's or the loss curve's batch); null on WASM.
   */
  async callModes(): Promise<BackendInfo['gpuCalls']> {
    const res = await this.request({ kind: 'callModes' });
    if (res.kind !== 'callModes') throw new Error('unexpected reply from the inference worker');
    return res.gpuCalls;
  }

  dispose(): void {
    this.worker.terminate();
  }
}

/**
 * The browser side of `bench -- generate`: times the app's WorkerDenoiser against a bare
 * session.run loop, and bare sessions at different WASM thread counts. Exposes
 * window.unmaskGenerateBench for the Node side (bench/generate.ts) to call.
 */
import { parseManifest, type ModelManifest } from '../../src/model/manifest';
import { WorkerDenoiser } from '../../src/runtime/workerDenoiser';
import type { BackendInfo, Provider } from '../../src/runtime/protocol';
import type { BareRequest, BareResponse } from './bareSession.protocol';
import type {
  DenoiserVsBare,
  GenerateBenchPage,
  PageInfo,
  RoundTripRequest,
  SamplerVsBare,
  ThreadTiming,
  ThreadTimingRequest,
  TimingRequest,
} from './benchPageApi';

/** One bare-session worker: requests are answered in order. */
class BareSession {
  private readonly worker = new Worker(new URL('./bareSession.worker.ts', import.meta.url), {
    type: 'module',
  });
  private waiting: { resolve: (r: BareResponse) => void; reject: (e: Error) => void }[] = [];

  constructor() {
    this.worker.onmessage = (e: MessageEvent<BareResponse>) =>
      this.waiting.shift()?.resolve(e.data);
    this.worker.onerror = (e) => {
      for (const w of this.waiting.splice(0)) w.reject(new Error(`bare worker: ${e.message}`));
    };
  }

  private async request(req: BareRequest, transfer: Transferable[] = []): Promise<BareResponse> {
    const res = await new Promise<BareResponse>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.worker.postMessage(req, transfer);
    });
    if (res.kind === 'error') throw new Error(`bare worker: ${res.message}`);
    return res;
  }

  async open(manifest: ModelManifest, onnx: ArrayBuffer, provider: Provider, threads: number) {
    const copy = onnx.slice(0);
    const res = await this.request({ kind: 'open', manifest, onnx: copy, provider, threads }, [
      copy,
    ]);
    if (res.kind !== 'opened') throw new Error('unexpected reply');
    return res.threadsInUse;
  }

  async time(batch: number, calls: number): Promise<number[]> {
    const res = await this.request({ kind: 'time', batch, calls });
    if (res.kind !== 'timed') throw new Error('unexpected reply');
    return res.ms;
  }

  /** One call per message, timed on this (the main) thread. */
  async call(batch: number): Promise<number> {
    const t0 = performance.now();
    const res = await this.request({ kind: 'call', batch });
    if (res.kind !== 'logits') throw new Error('unexpected reply');
    return performance.now() - t0;
  }

  terminate() {
    this.worker.terminate();
  }
}

let pkg: { manifest: ModelManifest; onnx: ArrayBuffer } | null = null;
const live: { terminate(): void }[] = [];

function loaded() {
  if (!pkg) throw new Error('call prepare(modelId) first');
  return pkg;
}

/** `calls` split into `rounds` block sizes that add up exactly. */
function blocks(calls: number, rounds: number): number[] {
  const r = Math.max(1, Math.min(rounds, calls));
  return Array.from(
    { length: r },
    (_, i) => Math.floor(((i + 1) * calls) / r) - Math.floor((i * calls) / r),
  );
}

/**
 * The app's WorkerDenoiser and a bare session on the same package, provider and WASM threads,
 * for the duration of `measure`; both workers end afterwards.
 */
async function withDenoiserAndBare<T>(
  provider: Provider,
  measure: (pair: {
    manifest: ModelManifest;
    denoiser: WorkerDenoiser;
    bare: BareSession;
    backend: BackendInfo;
  }) => Promise<T>,
): Promise<T> {
  const { manifest, onnx } = loaded();
  const denoiser = new WorkerDenoiser();
  const bare = new BareSession();
  live.push({ terminate: () => denoiser.dispose() }, bare);
  try {
    const backend = await denoiser.load(manifest, onnx, provider);
    if (backend.provider !== provider) {
      throw new Error(
        `asked for ${provider}, the worker runs ${backend.provider}: ${backend.fallbackReason}`,
      );
    }
    await bare.open(manifest, onnx, provider, backend.wasmThreads);
    return await measure({ manifest, denoiser, bare, backend });
  } finally {
    denoiser.dispose();
    bare.terminate();
  }
}

const api: GenerateBenchPage = {
  async prepare(modelId): Promise<PageInfo> {
    const base = `/models/${modelId}/`;
    const res = await fetch(`${base}manifest.json`);
    if (!res.ok) throw new Error(`could not download ${base}manifest.json (${res.status})`);
    const manifest = parseManifest(await res.json());
    const onnxRes = await fetch(`${base}${manifest.onnx}`);
    if (!onnxRes.ok) throw new Error(`could not download ${base}${manifest.onnx}`);
    pkg = { manifest, onnx: await onnxRes.arrayBuffer() };
    return {
      crossOriginIsolated: globalThis.crossOriginIsolated === true,
      hardwareConcurrency: navigator.hardwareConcurrency,
      userAgent: navigator.userAgent,
      model: manifest.id,
      seqLen: manifest.seqLen,
      vocabSize: manifest.vocab.length,
    };
  },

  denoiserVsBare(req: TimingRequest): Promise<DenoiserVsBare> {
    return withDenoiserAndBare(req.provider, async ({ manifest, denoiser, bare, backend }) => {
      const L = manifest.seqLen;
      const tokens = new Int32Array(req.batch * L).fill(manifest.special.mask);
      const t = new Float32Array(req.batch).fill(1);
      for (let i = 0; i < req.warmup; i++) await denoiser.logits(tokens, req.batch, t);
      await bare.time(req.batch, req.warmup);
      const denoiserMs: number[] = [];
      const denoiserWorkerMs: number[] = [];
      const bareMs: number[] = [];
      const bareMessageMs: number[] = [];
      for (let i = 0; i < req.warmup; i++) await bare.call(req.batch);
      for (const n of blocks(req.calls, req.rounds)) {
        for (let i = 0; i < n; i++) {
          const t0 = performance.now();
          await denoiser.logits(tokens, req.batch, t);
          denoiserMs.push(performance.now() - t0);
          denoiserWorkerMs.push(denoiser.lastCallMs);
        }
        for (let i = 0; i < n; i++) bareMessageMs.push(await bare.call(req.batch));
        bareMs.push(...(await bare.time(req.batch, n)));
      }
      return { backend, denoiserMs, denoiserWorkerMs, bareMs, bareMessageMs };
    });
  },

  samplerVsBare(req: TimingRequest): Promise<SamplerVsBare> {
    return withDenoiserAndBare(req.provider, async ({ manifest, denoiser, bare, backend }) => {
      const L = manifest.seqLen;
      let generations = 0;
      // Whole generations (as the Generate view runs them) until n model calls are timed.
      const sampleCalls = async (n: number, callMs: number[], stepMs: number[]) => {
        let made = 0;
        while (made < n) {
          const job = denoiser.sample(
            { prompt: [], genLength: L },
            {
              strategy: 'llada.low_confidence',
              steps: L,
              temperature: 1,
              seed: 1000 + generations,
            },
            (_record, timing) => {
              if (made >= n) return;
              made++;
              callMs.push(timing.ms);
              stepMs.push(timing.stepMs);
            },
          );
          await job.done;
          generations++;
        }
      };
      await sampleCalls(req.warmup, [], []);
      await bare.time(1, req.warmup);
      generations = 0;
      const callMs: number[] = [];
      const stepMs: number[] = [];
      const bareMs: number[] = [];
      for (const n of blocks(req.calls, req.rounds)) {
        await sampleCalls(n, callMs, stepMs);
        bareMs.push(...(await bare.time(1, n)));
      }
      return { backend, callMs, stepMs, bareMs, generations };
    });
  },

  async bareThreads(req: ThreadTimingRequest): Promise<ThreadTiming> {
    const { manifest, onnx } = loaded();
    const bare = new BareSession();
    live.push(bare);
    try {
      const threadsInUse = await bare.open(manifest, onnx, 'wasm', req.threads);
      await bare.time(req.batch, req.warmup);
      for (let i = 0; i < req.warmup; i++) await bare.call(req.batch);
      const loopMs: number[] = [];
      const messageMs: number[] = [];
      for (const n of blocks(req.calls, req.rounds)) {
        loopMs.push(...(await bare.time(req.batch, n)));
        for (let i = 0; i < n; i++) messageMs.push(await bare.call(req.batch));
      }
      return { threadsInUse, loopMs, messageMs };
    } finally {
      bare.terminate();
    }
  },

  async messageRoundTrip(req: RoundTripRequest): Promise<number[]> {
    const { manifest } = loaded();
    const worker = new Worker(new URL('./echo.worker.ts', import.meta.url), { type: 'module' });
    live.push(worker);
    try {
      const L = manifest.seqLen;
      const floats = req.batch * L * manifest.vocab.length;
      const tokens = new Int32Array(req.batch * L).fill(manifest.special.mask);
      const once = () =>
        new Promise<void>((resolve) => {
          worker.onmessage = () => resolve();
          // A copy, as WorkerDenoiser.logits posts one.
          worker.postMessage({ floats, tokens: tokens.slice() });
        });
      for (let i = 0; i < req.warmup; i++) await once();
      const ms: number[] = [];
      for (let i = 0; i < req.calls; i++) {
        const t0 = performance.now();
        await once();
        ms.push(performance.now() - t0);
      }
      return ms;
    } finally {
      worker.terminate();
    }
  },

  dispose() {
    for (const w of live.splice(0)) w.terminate();
  },
};

window.unmaskGenerateBench = api;

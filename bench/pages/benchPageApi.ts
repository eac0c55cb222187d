/**
 * What the generate bench's page (generate.html) offers the Node side, which drives it with
 * Playwright's page.evaluate. Plain data in and out, so it crosses the boundary as JSON.
 */
import type { BackendInfo, Provider } from '../../src/runtime/protocol';

export interface TimingRequest {
  provider: Provider;
  batch: number;
  /** Untimed calls first: V8 runs a fresh .wasm slowly for its first few dozen calls. */
  warmup: number;
  /** Timed calls per path, split over `rounds` alternating blocks so drift hits both alike. */
  calls: number;
  rounds: number;
}

export interface DenoiserVsBare {
  backend: BackendInfo;
  /** Main-thread time of WorkerDenoiser.logits (post tokens, get logits back), per call. */
  denoiserMs: number[];
  /** The worker's own time for the same calls (OrtModel.run, as WorkerDenoiser reports it). */
  denoiserWorkerMs: number[];
  /** session.run in a worker of its own, same model, provider, batch and threads, per call. */
  bareMs: number[];
  /** The bare worker called once per message (logits transferred back), main-thread time. */
  bareMessageMs: number[];
}

/** The generation's path: the sampler running in the app's worker, batch 1, one call per step. */
export interface SamplerVsBare {
  backend: BackendInfo;
  /** The Denoiser call as the sampler makes it, timed inside the worker (OrtModel.run). */
  callMs: number[];
  /** The whole step in the worker: the model call and the sampler's step function. */
  stepMs: number[];
  /** session.run back to back in a worker of its own, batch 1, per call. */
  bareMs: number[];
  /** Generations run for the timed calls. */
  generations: number;
}

export interface ThreadTimingRequest {
  threads: number;
  batch: number;
  warmup: number;
  calls: number;
  rounds: number;
}

export interface ThreadTiming {
  /** Threads ORT really used (1 when it could not start more). */
  threadsInUse: number;
  /** session.run back to back inside the worker. */
  loopMs: number[];
  /** One session.run per message from the main thread, as the app calls its worker. */
  messageMs: number[];
}

export interface RoundTripRequest {
  batch: number;
  warmup: number;
  calls: number;
}

export interface PageInfo {
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  userAgent: string;
  model: string;
  seqLen: number;
  vocabSize: number;
}

export interface GenerateBenchPage {
  /** Downloads the package the timings run on. */
  prepare(modelId: string): Promise<PageInfo>;
  denoiserVsBare(request: TimingRequest): Promise<DenoiserVsBare>;
  /** The sampler in the app's worker against bare session.run (the request's batch is ignored: 1). */
  samplerVsBare(request: TimingRequest): Promise<SamplerVsBare>;
  bareThreads(request: ThreadTimingRequest): Promise<ThreadTiming>;
  /** Main-thread ms per round trip to a worker that only sends back a logits-sized buffer. */
  messageRoundTrip(request: RoundTripRequest): Promise<number[]>;
  /** Ends every worker the page started. */
  dispose(): void;
}

declare global {
  interface Window {
    unmaskGenerateBench?: GenerateBenchPage;
  }
}

/**
 * What the train bench's page (train.html) offers the Node side (bench/train.ts), which drives
 * it with Playwright's page.evaluate. Plain data in and out, so it crosses as JSON.
 */
import type { ModelConfig } from '../../src/model/config';

export type TfjsBackend = 'webgpu' | 'wasm' | 'cpu';
/** jax-js's devices that can train the network (its webgl device is left out). */
export type JaxDevice = 'webgpu' | 'wasm' | 'cpu';

export interface TrainBenchSetup {
  preset: string;
  batch: number;
  /** Seed of the initial weights and of the batches' data and masks. */
  seed: number;
  /** Constant learning rate of every timed step (the same for every trainer). */
  lr: number;
  /** Batches to draw in advance: warm-up plus timed steps of the longest run. */
  batches: number;
  /** Our matmul variant (src/train/kernels/matmulKernel.ts), or 'auto': the device's default. */
  matmul: 'auto' | 'tiled' | 'registers' | 'shared';
  /** Whether the tiled matmul may split weight gradients along k (src/train/kernels/splitKMatmul.ts). */
  splitK: boolean;
}

export interface AdapterInfo {
  vendor: string;
  architecture: string;
  description: string;
  software: boolean;
}

export interface TrainBenchInfo {
  config: ModelConfig;
  parameters: number;
  batch: number;
  length: number;
  /** The CPU reference's loss on batch 0 at the initial weights: every trainer's parity target. */
  referenceLoss: number;
  adapter: AdapterInfo | null;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  userAgent: string;
}

export interface TimingRequest {
  warmup: number;
  maxSteps: number;
  rounds: number;
  budgetMs: number;
  minSteps: number;
}

export interface TrainerTiming {
  /** Wall time of each round, each ended by a full sync (the last loss read back). */
  roundMs: number[];
  roundSteps: number[];
  /** Warm-up steps, each synced on its own; the first includes compiling kernels. */
  warmupMs: number[];
  /** Loss of every step, warm-up and timed, in order. */
  losses: number[];
  /** The trainer's loss on batch 0 at the initial weights (before any update). */
  parityLoss: number;
  /** Free-form facts about this trainer (kernel variant, dispatches, threads, …). */
  details: Record<string, string | number | boolean>;
}

export interface CeilingRequest {
  /** Independent accumulators per invocation (more of them = more instruction-level parallelism). */
  accumulators: number[];
  rounds: number;
}

export interface CeilingTiming {
  accumulators: number;
  /** GFLOP/s of each round (one submission each). */
  gflops: number[];
}

export interface MatmulShape {
  label: string;
  m: number;
  n: number;
  k: number;
  /** A is read transposed (a weight gradient Xᵀ·dY), B is read transposed (dY·Wᵀ). */
  transposeA: boolean;
  transposeB: boolean;
}

export interface MatmulRequest {
  shapes: MatmulShape[];
  /** Products per timed submission. */
  reps: number;
  rounds: number;
}

export interface MatmulTiming {
  label: string;
  /** Milliseconds per product, one entry per round. */
  ours: number[];
  tfjs: number[];
  oursVariant: string;
}

export interface RunRequest {
  /** Steps of the run (the Train panel's TrainingRun, from the prepared initial weights). */
  steps: number;
  checkpointEvery: number;
  sampleEvery: number;
  /** trainingRun.ts's sample pacing (at most one decode a second), or a decode at every due step. */
  pacing: boolean;
}

export interface RunTiming {
  steps: number;
  /** Wall time of the whole run, first step to last checkpoint. */
  ms: number;
  checkpoints: number;
  /** Time inside saveCheckpoint (serialize, and IndexedDB in a page). */
  checkpointMs: number;
  /** Steps whose samples were decoded. */
  decodedSteps: number[];
  outcome: string;
}

export interface TrainBenchPage {
  prepare(setup: TrainBenchSetup): Promise<TrainBenchInfo>;
  /** Our WebGPU trainer (src/train/gpuTrainer.ts) on the page's adapter. */
  timeGpuTrainer(request: TimingRequest): Promise<TrainerTiming>;
  /** Our CPU reference (src/model/cpuTrainer.ts) on the page's main thread. */
  timeCpuReference(request: TimingRequest): Promise<TrainerTiming>;
  /** The TensorFlow.js twin (bench/tfjsTrainer.ts) on one of its backends. */
  timeTfjs(backend: TfjsBackend, request: TimingRequest): Promise<TrainerTiming>;
  /** The jax-js twin (bench/jaxTrainer.ts) on one of its devices. */
  timeJax(device: JaxDevice, request: TimingRequest): Promise<TrainerTiming>;
  /** The adapter's multiply-add ceiling (bench/pages/multiplyAddCeiling.ts). */
  timeCeiling(request: CeilingRequest): Promise<CeilingTiming[]>;
  /**
   * A whole Train-panel run on our WebGPU trainer (src/train/trainingRun.ts: its data stream,
   * checkpoints, sample decodes), timed end to end.
   */
  timeTrainingRun(request: RunRequest): Promise<RunTiming>;
  /** Our matmul kernel against TensorFlow.js-WebGPU's matMul, shape by shape. */
  timeMatmul(request: MatmulRequest): Promise<MatmulTiming[]>;
  dispose(): void;
}

declare global {
  interface Window {
    unmaskTrainBench?: TrainBenchPage;
  }
}

/**
 * The messages between the page and the training worker (trainingWorker.ts), and the pure
 * helpers both sides share: model-size presets, the learning-rate schedule of a run, the
 * smoothed loss and the throughput/ETA readouts. Everything here is plain data, so it can be
 * posted and unit-tested.
 */
import { LAYER_NORM_EPS, type ModelConfig } from '../model/config';
import type { LossWeighting } from '../core/lossWeights';
import type { LrSchedule } from '../model/lrSchedule';
import type { SamplerTrace } from '../core/sampler';
import type { RatioBucket } from './lossByMaskingRatio';
import type { HistoryPoint } from './lossHistory';
import type { MidRunSettings } from './midRunSettings';

/** Model sizes the panel offers; 'toy' is the architecture of the shipped default package. */
export const MODEL_PRESETS = {
  tiny: { dModel: 16, heads: 2, layers: 1, ffn: 64 },
  small: { dModel: 32, heads: 2, layers: 2, ffn: 128 },
  toy: { dModel: 64, heads: 4, layers: 4, ffn: 256 },
} as const;

export type ModelPreset = keyof typeof MODEL_PRESETS;
export const PRESET_NAMES = Object.keys(MODEL_PRESETS) as ModelPreset[];

/** What the user picks; 'auto' is WebGPU on a hardware adapter, the CPU reference otherwise. */
export type BackendChoice = 'auto' | 'webgpu' | 'cpu';
export type BackendKind = 'webgpu' | 'cpu';

export interface TrainingSettings {
  corpus: string;
  preset: ModelPreset;
  steps: number;
  batch: number;
  /** Peak learning rate of the warm-up/cosine schedule. */
  lr: number;
  weighting: LossWeighting;
  backend: BackendChoice;
  seed: number;
  /** Steps between checkpoints (also saved on pause). */
  checkpointEvery: number;
  /** Steps between sample decodes. */
  sampleEvery: number;
}

/**
 * What Start runs, chosen for the time until the model writes grammatical sentences (issue 14;
 * `bench -- train --parts grammatical` runs this very object): every size tried from 36k to
 * 120k parameters needed ≈ 3,000–4,000 steps of 32 windows to reach 80% grammatical samples, so
 * the smallest step wins; with peak rate 5e-3 and the cosine over 4,000 steps the small preset
 * crossed 80% at step 3,600 (115.5 s on the 2-core CPU machine, README "How long until…").
 */
export const DEFAULT_SETTINGS: TrainingSettings = {
  corpus: 'toy-sentences',
  preset: 'small',
  steps: 4000,
  batch: 32,
  lr: 5e-3,
  weighting: 'elbo',
  backend: 'auto',
  seed: 1,
  checkpointEvery: 50,
  sampleEvery: 50,
};

/** The masked-diffusion network of a preset for a corpus's vocabulary and window. */
export function configForPreset(
  preset: ModelPreset,
  vocabSize: number,
  seqLen: number,
): ModelConfig {
  return {
    vocabSize,
    seqLen,
    ...MODEL_PRESETS[preset],
    timeConditioning: true,
    causal: false,
    layerNormEps: LAYER_NORM_EPS,
  };
}

/**
 * The run's schedule: warm-up over 5% of the steps (at most 200, as the shipped model used),
 * cosine down to 1/30 of the peak at the last step.
 */
export function scheduleFor(s: Pick<TrainingSettings, 'steps' | 'lr'>): LrSchedule {
  return {
    peak: s.lr,
    warmupSteps: Math.min(200, Math.ceil(s.steps * 0.05)),
    totalSteps: s.steps,
    floor: s.lr / 30,
  };
}

/**
 * Exponential moving average with bias correction, so the first points are not pulled to 0.
 * `beta` is per step: a point that covers `spans[i]` steps (a bounded history's mean over them,
 * lossHistory.ts) decays the average by beta^span, as that many steps of its mean loss would.
 */
export function smoothLosses(
  losses: readonly number[],
  beta = 0.9,
  spans?: readonly number[],
): number[] {
  const out: number[] = [];
  let avg = 0;
  let weight = 0;
  for (let i = 0; i < losses.length; i++) {
    const loss = losses[i];
    if (!Number.isFinite(loss)) {
      out.push(NaN);
      continue;
    }
    const keep = spans ? Math.pow(beta, spans[i]) : beta;
    avg = keep * avg + (1 - keep) * loss;
    weight = keep * weight + (1 - keep);
    out.push(avg / weight);
  }
  return out;
}

export interface Throughput {
  stepsPerSecond: number;
  tokensPerSecond: number;
  /** Seconds to the last step at the current rate; null before a rate is known. */
  etaSeconds: number | null;
}

/**
 * Rates over the steps done since `sinceStep` (the step the current stretch of training
 * started at, so a pause does not count as slow training).
 */
export function throughput(
  step: number,
  sinceStep: number,
  seconds: number,
  totalSteps: number,
  tokensPerStep: number,
): Throughput {
  const done = step - sinceStep;
  if (done <= 0 || !(seconds > 0))
    return { stepsPerSecond: 0, tokensPerSecond: 0, etaSeconds: null };
  const stepsPerSecond = done / seconds;
  return {
    stepsPerSecond,
    tokensPerSecond: stepsPerSecond * tokensPerStep,
    etaSeconds: Math.max(0, totalSteps - step) / stepsPerSecond,
  };
}

/** "1 h 02 min", "3 min 05 s", "42 s". */
export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} min`;
}

/** One step's loss as the worker reports it. */
export interface LossPoint {
  step: number;
  loss: number;
  lr: number;
}

export interface TrainingSample {
  text: string;
  valid: boolean;
  /** The sampler's trace, so the panel can replay how the sentence was painted. */
  trace: SamplerTrace;
}

/**
 * One set of samples: a few shown (each with its trace), and the grammatical count of a larger
 * set drawn from the same weights, so the panel's share is not the noise of four sentences.
 */
export interface DecodedSamples {
  step: number;
  samples: TrainingSample[];
  judged: { valid: number; total: number };
}

/** The trained weights as a model package, ready for the inference worker or a download. */
export interface ExportedPackage {
  manifestJson: string;
  onnx: ArrayBuffer;
  /** The names its two files are saved under, after the model's id (trainedPackage.ts). */
  files: { onnx: string; manifest: string };
}

/** One progress report of the run (batched: the page updates its store once per report). */
export interface TrainingProgress {
  step: number;
  /** Losses that arrived since the last report, in order, one per step (the page thins them). */
  points: LossPoint[];
  stepsPerSecond: number;
  tokensPerSecond: number;
  etaSeconds: number | null;
  /** The step of a checkpoint saved since the last report. */
  checkpointStep: number | null;
  /** Samples decoded since the last report. */
  samples: DecodedSamples | null;
  /** The recent loss per masking-ratio bucket (lossByMaskingRatio.ts). */
  ratioLoss: RatioBucket[];
}

export type ToWorker =
  /** A new run, stored under runId (checkpointStore.ts; the page makes one per run). */
  | { type: 'start'; settings: TrainingSettings; runId: string }
  /**
   * Continue run runId from its checkpoint in IndexedDB (after a reload), with the mid-run
   * settings given (midRunSettings.ts: a lower learning rate, more steps…).
   */
  | { type: 'resumeCheckpoint'; runId: string; settings?: Partial<MidRunSettings> }
  | { type: 'pause' }
  /** Continue the paused run, first taking on the mid-run settings given. */
  | { type: 'resume'; settings?: Partial<MidRunSettings> }
  | { type: 'reset' }
  | { type: 'export' }
  /**
   * The package of a stored run's checkpoint (its weight average), without resuming it: how a
   * finished run found after a reload is opened or downloaded.
   */
  | { type: 'exportCheckpoint'; runId: string }
  /**
   * Fault injection (the panel shows it with #faults=1 in the URL): destroys the training GPU
   * device, which the worker then handles exactly like a device the driver lost.
   */
  | { type: 'loseDevice' };

export type FromWorker =
  | {
      type: 'started';
      backend: BackendKind;
      /** Why this backend, in words (adapter name, software adapter, no WebGPU…). */
      backendNote: string;
      settings: TrainingSettings;
      parameters: number;
      /** The step the run starts from (0, or a checkpoint's). */
      step: number;
      /** The loss history a resumed run already has (bounded: lossHistory.ts). */
      history: HistoryPoint[];
      ratioLoss: RatioBucket[];
    }
  | ({ type: 'progress' } & TrainingProgress)
  | { type: 'paused'; step: number; reason: string | null }
  | { type: 'finished'; step: number }
  /** Training stopped on a non-finite loss and went back to the last checkpoint. */
  | {
      type: 'rolledBack';
      badStep: number;
      step: number;
      history: HistoryPoint[];
      ratioLoss: RatioBucket[];
      message: string;
    }
  | { type: 'reset' }
  | { type: 'exported'; pkg: ExportedPackage }
  | { type: 'error'; message: string };

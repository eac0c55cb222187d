/**
 * What a Train-panel run is built from, shared by the training worker and the grammatical
 * bench (bench/trainGrammatical.ts), so the bench measures the very run Start begins: the
 * corpus and network of the settings, their fresh weights, and the trainers' options.
 */
import { type Corpus, getCorpus } from '../core/corpus';
import { initParameters } from '../model/init';
import { buildParameterLayout, type ParameterLayout } from '../model/parameterLayout';
import { createCpuStepBackend, type StepBackend } from './cpuStepBackend';
import type { GpuTrainerOptions } from './gpuTrainer';
import { cpuThreads, type GradientWorkerLink } from './gradientShards';
import { configForPreset, type TrainingSettings } from './trainingProtocol';

export function runModel(settings: TrainingSettings): { corpus: Corpus; layout: ParameterLayout } {
  const corpus = getCorpus(settings.corpus);
  const layout = buildParameterLayout(
    configForPreset(settings.preset, corpus.vocab.size, corpus.seqLen),
  );
  return { corpus, layout };
}

/** The seeded initial weights of a new run. */
export function freshParameters(settings: TrainingSettings, layout: ParameterLayout): Float32Array {
  return initParameters(layout, settings.seed, (n) => new Float32Array(n));
}

/** The WebGPU trainer's options for a run (losses read back every 5 steps). */
export function gpuTrainerOptions(settings: TrainingSettings): GpuTrainerOptions {
  return { batch: settings.batch, lossReadEvery: 5 };
}

/**
 * The CPU backend a run gets where WebGPU is not used: data-parallel over `startWorkers(n)`
 * gradient workers, n = cpuThreads − 1 (none where the platform cannot share memory).
 */
export function createCpuBackend(
  settings: TrainingSettings,
  layout: ParameterLayout,
  params: Float32Array,
  platform: {
    hardwareConcurrency: number | undefined;
    startWorkers: (n: number) => GradientWorkerLink[];
  },
): { backend: StepBackend; threads: number } {
  const canShare =
    typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated !== false;
  const threads = canShare ? cpuThreads(platform.hardwareConcurrency, settings.batch) : 1;
  const workers = threads > 1 ? platform.startWorkers(threads - 1) : [];
  return { backend: createCpuStepBackend(layout, params, workers), threads: workers.length + 1 };
}

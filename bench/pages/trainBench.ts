/**
 * The train bench itself, whatever hosts it: one model, one sequence of batches, timed on our
 * WebGPU trainer, our CPU reference and the TensorFlow.js and jax-js twins of the network on
 * each of their backends; and our matmul kernel against TensorFlow.js-WebGPU's. The host supplies the WebGPU
 * adapter and the facts about itself: a Chromium page (trainBenchPage.ts) or Node with Dawn
 * (bench/nodeTrainBench.ts, for a machine with a GPU and no browser).
 */
import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { init as initJax, type numpy as np } from '@jax-js/jax';
import { getCorpus } from '../../src/core/corpus';
import { Rng } from '../../src/core/rng';
import {
  computeGradients,
  maskedDiffusionBatch,
  type TrainingBatch,
} from '../../src/model/cpuTrainer';
import { initParameters } from '../../src/model/init';
import { buildParameterLayout, type ParameterLayout } from '../../src/model/parameterLayout';
import { createCpuStepBackend, type StepBackend } from '../../src/train/cpuStepBackend';
import { createGpuTrainer } from '../../src/train/gpuTrainer';
import {
  createTrainerKernels,
  isSoftwareAdapter,
  trainerDeviceFeatures,
  type TrainerKernels,
} from '../../src/train/trainerKernels';
import { DEFAULT_PACING, TrainingRun } from '../../src/train/trainingRun';
import type { TrainingCheckpoint } from '../../src/train/checkpointStore';
import {
  configForPreset,
  DEFAULT_SETTINGS,
  MODEL_PRESETS,
  type ModelPreset,
  type TrainingSettings,
} from '../../src/train/trainingProtocol';
import { createJaxTrainer } from '../jaxTrainer';
import { createTfjsTrainer } from '../tfjsTrainer';
import { timeMultiplyAddCeiling } from './multiplyAddCeiling';
import { timeOurMatmul, timeTfjsMatmul } from './matmulTiming';
import type {
  AdapterInfo,
  MatmulTiming,
  TrainBenchInfo,
  TrainBenchPage,
  TrainBenchSetup,
  TrainerTiming,
} from './trainBenchApi';
import { type Stepper, timeStepper } from './trainerTiming';

/** The corpus of every timed trainer and run (the Train panel's default). */
const BENCH_CORPUS = 'toy-sentences';

/** What the bench needs from where it runs. */
export interface TrainBenchHost {
  /** A device on the host's WebGPU adapter for our trainer, or null when there is none. */
  openGpu(): Promise<{ device: GPUDevice; adapter: AdapterInfo } | null>;
  /** Facts reported with every figure. */
  describe(): Pick<TrainBenchInfo, 'crossOriginIsolated' | 'hardwareConcurrency' | 'userAgent'>;
  /** Stores a checkpoint as the Train panel would (IndexedDB in a page; Node has none). */
  saveCheckpoint(c: TrainingCheckpoint): Promise<void>;
}

/** A device for our trainer on the first adapter `gpu` offers (the browser's or Dawn's). */
export async function openTrainerDevice(
  gpu: GPU | undefined,
): Promise<{ device: GPUDevice; adapter: AdapterInfo } | null> {
  const adapter = await gpu?.requestAdapter();
  if (!adapter) return null;
  const info = adapter.info;
  const device = await adapter.requestDevice({ requiredFeatures: trainerDeviceFeatures(adapter) });
  return {
    device,
    adapter: {
      vendor: info.vendor,
      architecture: info.architecture,
      description: info.description,
      software: isSoftwareAdapter(info),
    },
  };
}

interface Prepared {
  layout: ParameterLayout;
  params: Float32Array;
  batches: TrainingBatch[];
  lr: number;
  gpu: { device: GPUDevice; adapter: AdapterInfo } | null;
  kernels: TrainerKernels | null;
  matmul: TrainBenchSetup['matmul'];
  splitK: boolean;
  preset: ModelPreset;
}

async function kernelsFor(p: Prepared): Promise<{ device: GPUDevice; kernels: TrainerKernels }> {
  if (!p.gpu) throw new Error('the bench host has no WebGPU adapter');
  p.kernels ??= await createTrainerKernels(p.gpu.device, {
    matmul: p.matmul === 'auto' ? undefined : p.matmul,
    splitK: p.splitK ? undefined : false,
  });
  return { device: p.gpu.device, kernels: p.kernels };
}

/** Our trainer API (GPU trainer or CPU reference) as a Stepper. */
function backendStepper(backend: StepBackend, p: Prepared): Stepper {
  return {
    async step(i) {
      backend.step(p.batches[i], p.lr);
      await backend.throttle(2);
    },
    async sync() {
      return (await backend.readLoss()).map((r) => r.loss);
    },
  };
}

async function timeTrainer(
  stepper: Stepper,
  request: Parameters<TrainBenchPage['timeCpuReference']>[0],
  details: TrainerTiming['details'],
): Promise<TrainerTiming> {
  const timing = await timeStepper(stepper, request);
  return { ...timing, parityLoss: timing.losses[0], details };
}

export function createTrainBench(host: TrainBenchHost): TrainBenchPage {
  let prepared: Prepared | null = null;
  const ready = (): Prepared => {
    if (!prepared) throw new Error('call prepare(setup) first');
    return prepared;
  };
  return {
    async prepare(setup: TrainBenchSetup): Promise<TrainBenchInfo> {
      if (!(setup.preset in MODEL_PRESETS)) throw new Error(`unknown preset '${setup.preset}'`);
      const corpus = getCorpus(BENCH_CORPUS);
      const layout = buildParameterLayout(
        configForPreset(setup.preset as ModelPreset, corpus.vocab.size, corpus.seqLen),
      );
      const params = initParameters(layout, setup.seed, (n) => new Float32Array(n));
      const dataRng = new Rng(setup.seed);
      const maskRng = new Rng(setup.seed + 1);
      const batches = Array.from({ length: setup.batches }, () =>
        maskedDiffusionBatch(corpus.sampleBatch(dataRng, setup.batch), setup.batch, corpus.seqLen, {
          maskId: corpus.vocab.maskId,
          rng: maskRng,
          weighting: 'elbo',
        }),
      );
      prepared?.gpu?.device.destroy();
      prepared = {
        layout,
        params,
        batches,
        lr: setup.lr,
        gpu: await host.openGpu(),
        kernels: null,
        matmul: setup.matmul,
        splitK: setup.splitK,
        preset: setup.preset as ModelPreset,
      };
      return {
        config: layout.config,
        parameters: layout.total,
        batch: setup.batch,
        length: corpus.seqLen,
        referenceLoss: computeGradients(layout, params.slice(), batches[0]).loss,
        adapter: prepared.gpu?.adapter ?? null,
        ...host.describe(),
      };
    },

    async timeGpuTrainer(request) {
      const p = ready();
      const { device, kernels } = await kernelsFor(p);
      const trainer = await createGpuTrainer(device, p.layout, p.params, {
        batch: p.batches[0].batch,
        kernels,
      });
      try {
        return await timeTrainer(backendStepper(trainer, p), request, {
          matmulVariant: kernels.matmul.variant,
          splitK: kernels.splitK ? 'on' : 'off',
          dispatchesPerStep: trainer.dispatchesPerStep,
          adapter: p.gpu!.adapter.description || p.gpu!.adapter.vendor,
        });
      } finally {
        trainer.destroy();
      }
    },

    async timeCpuReference(request) {
      const p = ready();
      const backend = createCpuStepBackend(p.layout, p.params);
      try {
        return await timeTrainer(backendStepper(backend, p), request, {
          arithmetic: 'float32 (float64 sums), one thread, the page main thread',
        });
      } finally {
        backend.destroy();
      }
    },

    async timeTfjs(backend, request) {
      const p = ready();
      if (!(await tf.setBackend(backend))) {
        throw new Error(`TensorFlow.js could not start its ${backend} backend`);
      }
      await tf.ready();
      const trainer = createTfjsTrainer(p.layout, p.params);
      const pending: tf.Scalar[] = [];
      const stepper: Stepper = {
        step(i) {
          pending.push(trainer.step(p.batches[i], p.lr));
        },
        async sync() {
          const taken = pending.splice(0);
          // The last loss depends on every queued step: once it is here, all of them ran.
          await taken[taken.length - 1].data();
          const losses = await Promise.all(taken.map(async (t) => (await t.data())[0]));
          for (const t of taken) t.dispose();
          return losses;
        },
      };
      try {
        return await timeTrainer(stepper, request, {
          version: tf.version_core,
          embedding: trainer.embedding,
          ...(backend === 'wasm' ? { wasmThreads: getThreadsCount() } : {}),
        });
      } finally {
        for (const t of pending.splice(0)) t.dispose();
        trainer.dispose();
      }
    },

    async timeJax(device, request) {
      const p = ready();
      // jax-js opens its own WebGPU device, on the adapter navigator.gpu offers (in Node:
      // Dawn's, set by nodeTrainBench.ts), as TensorFlow.js does.
      if (!(await initJax(device)).includes(device)) {
        throw new Error(`jax-js could not start its ${device} device`);
      }
      const trainer = createJaxTrainer(p.layout, p.params, device);
      const pending: np.Array[] = [];
      const stepper: Stepper = {
        step(i) {
          pending.push(trainer.step(p.batches[i], p.lr));
        },
        async sync() {
          const losses: number[] = [];
          // In order: once the last is here, every queued step ran. data() consumes each.
          for (const loss of pending.splice(0)) losses.push((await loss.data())[0]);
          return losses;
        },
      };
      try {
        return await timeTrainer(stepper, request, {
          embedding: 'one-hot matmul',
          compiled: 'the whole step in one jit',
        });
      } finally {
        for (const loss of pending.splice(0)) loss.dispose();
        trainer.dispose();
      }
    },

    async timeCeiling(request) {
      const p = ready();
      if (!p.gpu) throw new Error('the bench host has no WebGPU adapter');
      return timeMultiplyAddCeiling(p.gpu.device, request);
    },

    async timeTrainingRun(request) {
      const p = ready();
      const { device, kernels } = await kernelsFor(p);
      const batch = p.batches[0].batch;
      const settings: TrainingSettings = {
        ...DEFAULT_SETTINGS,
        preset: p.preset,
        batch,
        steps: request.steps,
        backend: 'webgpu',
        checkpointEvery: request.checkpointEvery,
        sampleEvery: request.sampleEvery,
      };
      // lossReadEvery as the Train panel's worker asks for it (trainingWorker.ts).
      const backend = await createGpuTrainer(device, p.layout, p.params, {
        batch,
        kernels,
        lossReadEvery: 5,
      });
      const decodedSteps: number[] = [];
      let checkpoints = 0;
      let checkpointMs = 0;
      const run = new TrainingRun(
        settings,
        getCorpus(BENCH_CORPUS),
        p.layout,
        backend,
        'webgpu',
        {
          progress: (progress) => {
            const step = progress.samples?.step;
            if (step !== undefined && decodedSteps[decodedSteps.length - 1] !== step) {
              decodedSteps.push(step);
            }
          },
          saveCheckpoint: async (c) => {
            const t0 = performance.now();
            await host.saveCheckpoint(c);
            checkpointMs += performance.now() - t0;
            checkpoints++;
          },
        },
        undefined,
        request.pacing ? DEFAULT_PACING : { ...DEFAULT_PACING, minSampleIntervalMs: 0 },
      );
      try {
        const t0 = performance.now();
        const outcome = await run.run();
        const ms = performance.now() - t0;
        return {
          steps: run.step,
          ms,
          checkpoints,
          checkpointMs,
          decodedSteps,
          outcome: outcome.kind,
        };
      } finally {
        backend.destroy();
      }
    },

    async timeMatmul(request) {
      const p = ready();
      const { device, kernels } = await kernelsFor(p);
      if (!(await tf.setBackend('webgpu'))) throw new Error('TensorFlow.js has no WebGPU backend');
      await tf.ready();
      const out: MatmulTiming[] = [];
      for (const shape of request.shapes) {
        out.push({
          label: shape.label,
          ours: await timeOurMatmul(device, kernels, shape, request.reps, request.rounds),
          tfjs: await timeTfjsMatmul(shape, request.reps, request.rounds),
          oursVariant: kernels.matmul.variant,
        });
      }
      return out;
    },

    dispose() {
      prepared?.kernels?.destroy();
      prepared?.gpu?.device.destroy();
      prepared = null;
    },
  };
}

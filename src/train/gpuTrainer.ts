/**
 * The WebGPU trainer: our own WGSL kernels train the src/model network on the GPU, matching
 * the CPU reference (forward.ts, backward.ts, crossEntropy.ts, adamw.ts) to float32 rounding.
 *
 *   const trainer = await createGpuTrainer(device, layout, initialParams, { batch: 64 });
 *   for (let s = 0; s < steps; s++) {
 *     const b = maskedDiffusionBatch(x0, 64, layout.config.seqLen, { maskId, rng, weighting });
 *     trainer.step(b, learningRateAt(trainer.stepCount, schedule));
 *     await trainer.throttle(2);              // keep ≤ 2 steps queued: busy GPU, live page
 *     chart(trainer.takeLoss());              // records that have arrived, never waits
 *   }
 *   chart(await trainer.readLoss());          // the rest, once the last steps finish
 *   const params = await trainer.readParams();              // e.g. for the ONNX export
 *   const { m, v, step } = await trainer.readOptimizerState(); // for a checkpoint
 *   trainer.destroy();                                      // the device stays the caller's
 *
 * - The device is the caller's (the page's, shared with onnxruntime-web, or Dawn's in Node);
 *   the trainer never creates or destroys one.
 * - Parameters, gradients and AdamW's m and v live in GPU storage buffers for the whole run.
 *   The CPU builds each TrainingBatch (maskedDiffusionBatch / nextTokenBatch: masks, t, the
 *   'elbo' or 'mean' loss weights) and step() uploads it with queue.writeBuffer together with
 *   the AdamW uniform of the learning rate the caller passes.
 * - step() records forward, loss, backward, gradient-norm clipping and AdamW into one command
 *   encoder and submits it once; it returns at once. The dispatch lists are built at creation
 *   (trainingProgram.ts) for a fixed batch and window length.
 * - Each step's loss, gradient norm, clip factor and per-window losses (for the loss by masking
 *   ratio) are copied on the GPU into a history that is read back every `lossReadEvery` steps
 *   through a ring of staging buffers (lossReadback.ts);
 *   takeLoss() returns the records that have arrived, readLoss() waits for all submitted ones.
 * - step() never blocks; throttle(n) is the loop's back-pressure (resolves when ≤ n steps are
 *   unfinished on the GPU), so the loop never queues more work than the GPU can run.
 * - A step whose gradient norm is NaN or ±Inf leaves params, m and v unchanged (the CPU
 *   reference throws instead); its record shows the non-finite norm, which is the caller's cue
 *   to stop and roll back. stepCount still advances.
 *
 * The kernels (src/train/kernels, compiled once per device by trainerKernels.ts): one strided,
 * batched matmul serving every product of forward and backward, in two variants (tiled through
 * workgroup memory on GPUs; barrier-free, with vec4 loads where aligned, on software adapters
 * such as SwiftShader); LayerNorm forward, input and parameter gradients; attention softmax
 * forward and backward (bidirectional or causal); GELU forward and backward; embedding forward
 * and backward; weighted cross-entropy; gradient-norm partials, the step-stats reduction (loss,
 * norm, clip factor); AdamW. Every reduction is a fixed-order sum (no float atomics), so a step
 * is deterministic. A step records 30·layers + 12 dispatches (132 for 4 layers) in one pass.
 */
import { type AdamWOptions, type AdamWState, DEFAULT_ADAMW } from '../model/adamw';
import type { TrainingBatch } from '../model/cpuTrainer';
import type { ParameterLayout } from '../model/parameterLayout';
import { BufferUsage, MapMode } from './gpuFlags';
import { adamwUniform } from './kernels/adamwKernel';
import type { MatmulVariant } from './kernels/matmulKernel';
import { LossReadback, type StepRecord } from './lossReadback';
import { createTrainerKernels, type TrainerKernels } from './trainerKernels';
import { createTrainingProgram, type TrainingProgram } from './trainingProgram';

export type { StepRecord } from './lossReadback';

export interface GpuTrainerOptions {
  /** Rows per batch; every step's batch must have exactly this many. */
  batch: number;
  /** Window length of every batch; defaults to config.seqLen. */
  length?: number;
  /** AdamW settings except the rate (which step() takes); defaults to DEFAULT_ADAMW. */
  optimizer?: Partial<Omit<AdamWOptions, 'lr'>>;
  /** Steps between loss read-backs (default 10). */
  lossReadEvery?: number;
  /** Staging buffers in the read-back ring (default 3). */
  stagingBuffers?: number;
  /** Kernels compiled earlier on the same device, to share them between trainers. */
  kernels?: TrainerKernels;
  /** The matmul variant when the trainer compiles its own kernels (trainerKernels.ts). */
  matmul?: MatmulVariant;
}

/** What a checkpoint stores and loadState restores. */
export interface GpuTrainerState {
  params: Float32Array;
  optimizer: AdamWState;
}

export interface GpuTrainer {
  readonly layout: ParameterLayout;
  readonly batch: number;
  readonly length: number;
  /** AdamW updates taken so far (the next step is update number stepCount + 1). */
  readonly stepCount: number;
  readonly optimizer: Omit<AdamWOptions, 'lr'>;
  /** Dispatches recorded per step (for the report and the benchmark). */
  readonly dispatchesPerStep: number;
  /** Staging buffers of the loss read-back (the ring, plus any added when the reader lagged). */
  readonly stagingBuffers: number;
  /** Queues one training step on `batch` at learning rate `lr`; returns without waiting. */
  step(batch: TrainingBatch, lr: number): void;
  /** Steps submitted whose GPU work has not finished yet. */
  readonly stepsInFlight: number;
  /**
   * Resolves once at most `maxInFlight` steps are unfinished on the GPU: the back-pressure of a
   * training loop (step; await throttle(2); …) that keeps the queue busy but never runs ahead.
   */
  throttle(maxInFlight?: number): Promise<void>;
  /** The records that have arrived, in order, without waiting (a chart's per-frame poll). */
  takeLoss(): StepRecord[];
  /** Every record not yet returned, in order, waiting for the steps already submitted. */
  readLoss(): Promise<StepRecord[]>;
  /** A copy of the parameters after every step submitted so far. */
  readParams(): Promise<Float32Array>;
  readOptimizerState(): Promise<AdamWState>;
  /** Replaces parameters and optimizer state (e.g. from a checkpoint). */
  loadState(state: GpuTrainerState): void;
  /** Frees the trainer's buffers (not the device; shared kernels stay usable). */
  destroy(): void;
}

export async function createGpuTrainer(
  device: GPUDevice,
  layout: ParameterLayout,
  initialParams: Float32Array,
  options: GpuTrainerOptions,
): Promise<GpuTrainer> {
  if (initialParams.length !== layout.total) {
    throw new Error(
      `initialParams holds ${initialParams.length} values, but the layout needs ${layout.total}`,
    );
  }
  const optimizer = { ...DEFAULT_ADAMW, ...options.optimizer };
  const length = options.length ?? layout.config.seqLen;
  const ownKernels = !options.kernels;
  const kernels =
    options.kernels ?? (await createTrainerKernels(device, { matmul: options.matmul }));
  device.pushErrorScope('validation');
  let program: TrainingProgram;
  try {
    program = createTrainingProgram(
      device,
      kernels,
      layout,
      options.batch,
      length,
      optimizer.maxGradNorm,
    );
  } catch (error) {
    await device.popErrorScope();
    if (ownKernels) kernels.destroy();
    throw error;
  }
  const invalid = await device.popErrorScope();
  if (invalid) {
    program.destroy();
    if (ownKernels) kernels.destroy();
    throw new Error(`the training program is invalid on this device: ${invalid.message}`);
  }
  const buffers = program.buffers;
  device.queue.writeBuffer(buffers.params, 0, initialParams);
  const readback = new LossReadback(
    device,
    buffers.stats,
    options.lossReadEvery ?? 10,
    options.stagingBuffers ?? 3,
    options.batch,
  );
  const phases = [program.forward, program.loss, program.backward, program.update];
  let stepCount = 0;
  let submitted = 0;
  let completed = 0;
  let waiters: { maxInFlight: number; resolve: () => void }[] = [];
  const wake = () => {
    const ready = waiters.filter((w) => submitted - completed <= w.maxInFlight);
    waiters = waiters.filter((w) => submitted - completed > w.maxInFlight);
    for (const w of ready) w.resolve();
  };
  let destroyed = false;
  const alive = () => {
    if (destroyed) throw new Error('this trainer was destroyed');
  };

  const readBuffer = async (source: GPUBuffer): Promise<Float32Array> => {
    const bytes = layout.total * 4;
    const staging = device.createBuffer({
      label: 'state read-back',
      size: Math.ceil(bytes / 16) * 16,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    const encoder = device.createCommandEncoder({ label: 'state read-back' });
    encoder.copyBufferToBuffer(source, 0, staging, 0, staging.size);
    device.queue.submit([encoder.finish()]);
    try {
      await staging.mapAsync(MapMode.READ);
      return new Float32Array(staging.getMappedRange(0, bytes).slice(0));
    } finally {
      staging.destroy();
    }
  };

  return {
    layout,
    batch: options.batch,
    length,
    optimizer,
    dispatchesPerStep: phases.reduce((n, p) => n + p.length, 0),
    get stepCount() {
      return stepCount;
    },
    get stagingBuffers() {
      return readback.stagingCount;
    },
    step(batch, lr) {
      alive();
      if (!(Number.isFinite(lr) && lr >= 0)) {
        throw new Error(`the learning rate must be a finite number ≥ 0, got ${lr}`);
      }
      program.uploadBatch(batch);
      const update = stepCount + 1;
      device.queue.writeBuffer(
        buffers.adamwStep,
        0,
        adamwUniform(layout.total, update, lr, optimizer),
      );
      const encoder = device.createCommandEncoder({ label: `training step ${update}` });
      program.encode(encoder, phases);
      const afterSubmit = readback.record(encoder, update, lr);
      device.queue.submit([encoder.finish()]);
      afterSubmit?.();
      stepCount = update;
      const number = ++submitted;
      device.queue.onSubmittedWorkDone().then(
        () => {
          completed = Math.max(completed, number);
          wake();
        },
        () => {
          // A lost device: release the waiters; the next read reports the loss.
          completed = submitted;
          wake();
        },
      );
    },
    get stepsInFlight() {
      return submitted - completed;
    },
    throttle(maxInFlight = 2) {
      alive();
      if (submitted - completed <= maxInFlight) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ maxInFlight, resolve }));
    },
    takeLoss() {
      alive();
      return readback.take();
    },
    readLoss() {
      alive();
      return readback.read();
    },
    readParams() {
      alive();
      return readBuffer(buffers.params);
    },
    async readOptimizerState() {
      alive();
      const step = stepCount;
      const [m, v] = await Promise.all([readBuffer(buffers.m), readBuffer(buffers.v)]);
      return { m, v, step };
    },
    loadState(state) {
      alive();
      const { params, optimizer: opt } = state;
      const n = layout.total;
      if (params.length !== n || opt.m.length !== n || opt.v.length !== n) {
        throw new Error(`params, m and v must each hold ${n} values`);
      }
      if (!Number.isInteger(opt.step) || opt.step < 0) {
        throw new Error(`the optimizer step must be a non-negative integer, got ${opt.step}`);
      }
      device.queue.writeBuffer(buffers.params, 0, params);
      device.queue.writeBuffer(buffers.m, 0, opt.m);
      device.queue.writeBuffer(buffers.v, 0, opt.v);
      stepCount = opt.step;
    },
    destroy() {
      if (destroyed) return;
      destroyed = true;
      completed = submitted;
      wake();
      readback.destroy();
      program.destroy();
      if (ownKernels) kernels.destroy();
    },
  };
}

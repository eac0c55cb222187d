/**
 * The WebGPU trainer (src/train) behind the train CLI's StepTrainer, on Dawn (the `webgpu`
 * package). Weights and AdamW state stay on the GPU; each step uploads its batch and is
 * submitted at once, with at most two steps in flight; losses come back every few steps through
 * the trainer's read-back ring.
 */
import type { AdamWOptions } from '../../src/model/adamw';
import type { ParameterLayout } from '../../src/model/parameterLayout';
import { createGpuTrainer } from '../../src/train/gpuTrainer';
import { createDawnDevice } from '../../src/train/node/dawnDevice';
import type { StepLoss, StepTrainer } from './stepTrainer';

export async function createDawnStepTrainer(
  layout: ParameterLayout,
  initial: Float32Array,
  options: { batch: number; optimizer: Omit<AdamWOptions, 'lr'> },
): Promise<StepTrainer> {
  const dawn = await createDawnDevice();
  let trainer;
  try {
    // A copy on an ordinary buffer: Dawn's writeBuffer crashes on a SharedArrayBuffer view.
    trainer = await createGpuTrainer(dawn.device, layout, initial.slice(), {
      batch: options.batch,
      optimizer: options.optimizer,
      lossReadEvery: 10,
    });
  } catch (error) {
    dawn.close();
    throw error;
  }
  const gpu = trainer;
  const losses = (records: { step: number; loss: number; lr: number }[]): StepLoss[] =>
    records.map((r) => ({ step: r.step, loss: r.loss, lr: r.lr }));
  return {
    name: `unmask-webgpu (Dawn, ${dawn.adapter})`,
    async step(batch, lr) {
      gpu.step(batch, lr);
      await gpu.throttle(2);
      return losses(gpu.takeLoss());
    },
    async finish() {
      return losses(await gpu.readLoss());
    },
    params: () => gpu.readParams(),
    async close() {
      gpu.destroy();
      dawn.close();
    },
  };
}

import type { TrainingBatch } from '../../src/model/cpuTrainer';

/** One step's loss as the train CLI logs it. */
export interface StepLoss {
  /** The update number (1 for the first step). */
  step: number;
  loss: number;
  lr: number;
}

/**
 * What `npm run train` needs from whatever executes its steps (the CPU reference on worker
 * threads, or the WebGPU trainer on Dawn): the batches and learning rates go in, in order;
 * losses come out in step order, possibly some steps later (a GPU reads them back in groups).
 */
export interface StepTrainer {
  /** The trainer in words, for the manifest's training record. */
  readonly name: string;
  /** Takes one step; returns the losses that have arrived since the last call. */
  step(batch: TrainingBatch, lr: number): Promise<StepLoss[]>;
  /** The losses of the steps taken but not yet returned. */
  finish(): Promise<StepLoss[]>;
  /** The weights after every step taken. */
  params(): Promise<Float32Array>;
  close(): Promise<void>;
}

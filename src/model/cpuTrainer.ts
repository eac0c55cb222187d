import { sampleMask } from '../core/forwardProcess';
import { type LossWeighting, maskedLossWeights } from '../core/lossWeights';
import type { Rng } from '../core/rng';
import { adamwStep, type AdamWOptions, type AdamWState, type AdamWStepResult } from './adamw';
import { backward } from './backward';
import { maskedCrossEntropy } from './crossEntropy';
import { type ForwardCache, forward } from './forward';
import { learningRateAt, type LrSchedule } from './lrSchedule';
import type { FloatArray, ParameterLayout } from './parameterLayout';

/**
 * Training on the CPU reference, pure TypeScript so it runs in a Node worker thread and in a
 * browser worker alike. One step is split in three so data-parallel workers can share it:
 *
 *   1. the caller builds a TrainingBatch for the whole batch (masking, targets, loss weights:
 *      cheap, and it needs the seeded Rng and the batch-wide normaliser of the 'mean' weighting);
 *   2. each worker runs computeGradients on its rows (batchRows), and the caller sums the
 *      losses and gradients: because the weights were normalised over the whole batch, the
 *      sum is exactly the full-batch loss and gradient;
 *   3. applyUpdate takes one AdamW step.
 *
 * maskedDiffusionGradients and nextTokenGradients do 1 and 2 in one call for a single worker.
 */

/**
 * The smallest masking ratio drawn: t ~ U(tMin, 1). The 'elbo' weight is 1/t, so t near 0
 * would give a few huge weights (and t = 0 a division by zero) for rows that barely carry any
 * masked token; 1e-3 caps the weight at 1000 while changing the expected loss negligibly.
 */
export const DEFAULT_T_MIN = 1e-3;

/** Everything a worker needs for one forward/backward; typed arrays only, so it can be posted. */
export interface TrainingBatch {
  batch: number;
  length: number;
  /** The network input [batch * length]: x_t for masked diffusion, x0 for next-token. */
  tokens: Int32Array;
  /** The token to predict at each position; −1 where nothing is predicted. */
  targets: Int32Array;
  /** Loss weight per position, normalised over the whole batch (lossWeights.ts). */
  weights: Float64Array;
  /** The masking ratio of each row for a time-conditioned network, else null. */
  t: Float64Array | null;
  /** How many positions carry a loss (masked tokens, or next-token targets). */
  lossPositions: number;
}

export interface MaskedDiffusionOptions {
  maskId: number;
  rng: Rng;
  weighting: LossWeighting;
  tMin?: number;
}

function checkWindows(x0: Int32Array, batch: number, length: number): void {
  if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(length) || length < 1) {
    throw new Error(`batch and length must be positive integers, got ${batch} and ${length}`);
  }
  if (x0.length !== batch * length) {
    throw new Error(`x0 holds ${x0.length} tokens, but batch × length = ${batch * length}`);
  }
}

/**
 * The article's training batch: per row, t ~ U(tMin, 1) is drawn first, then every token of
 * the row is masked with probability t (src/core/forwardProcess.ts, one uniform draw per token
 * in order). Targets are x0 at the masked positions; weights follow `weighting`.
 */
export function maskedDiffusionBatch(
  x0: Int32Array,
  batch: number,
  length: number,
  options: MaskedDiffusionOptions,
): TrainingBatch {
  checkWindows(x0, batch, length);
  const tMin = options.tMin ?? DEFAULT_T_MIN;
  if (!(tMin > 0 && tMin < 1)) throw new Error(`tMin must lie in (0, 1), got ${tMin}`);
  const tokens = new Int32Array(batch * length);
  const targets = new Int32Array(batch * length).fill(-1);
  const masked = new Uint8Array(batch * length);
  const t = new Float64Array(batch);
  let lossPositions = 0;
  for (let b = 0; b < batch; b++) {
    t[b] = tMin + (1 - tMin) * options.rng.uniform();
    const row = x0.subarray(b * length, (b + 1) * length);
    const sample = sampleMask(row, t[b], options.rng, options.maskId);
    tokens.set(sample.tokens, b * length);
    for (let i = 0; i < length; i++) {
      if (!sample.masked[i]) continue;
      masked[b * length + i] = 1;
      targets[b * length + i] = row[i];
      lossPositions++;
    }
  }
  const weights = maskedLossWeights(masked, batch, length, t, options.weighting);
  return { batch, length, tokens, targets, weights, t, lossPositions };
}

/**
 * The autoregressive twin's batch: input x0, target at position i is x0[i + 1], no masking and
 * the plain mean over the batch·(length − 1) predicted positions.
 */
export function nextTokenBatch(x0: Int32Array, batch: number, length: number): TrainingBatch {
  checkWindows(x0, batch, length);
  if (length < 2) throw new Error('next-token training needs windows of at least 2 tokens');
  const targets = new Int32Array(batch * length).fill(-1);
  const weights = new Float64Array(batch * length);
  const lossPositions = batch * (length - 1);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i + 1 < length; i++) {
      targets[b * length + i] = x0[b * length + i + 1];
      weights[b * length + i] = 1 / lossPositions;
    }
  }
  return { batch, length, tokens: x0.slice(), targets, weights, t: null, lossPositions };
}

/** Rows [start, end) of a batch, as views (no copy), keeping the batch-wide weights. */
export function batchRows(b: TrainingBatch, start: number, end: number): TrainingBatch {
  if (!(
    Number.isInteger(start) &&
    Number.isInteger(end) &&
    0 <= start &&
    start < end &&
    end <= b.batch
  )) {
    throw new Error(`rows [${start}, ${end}) are not a non-empty range of ${b.batch} rows`);
  }
  const from = start * b.length;
  const to = end * b.length;
  let lossPositions = 0;
  for (let j = from; j < to; j++) if (b.weights[j] !== 0) lossPositions++;
  return {
    batch: end - start,
    length: b.length,
    tokens: b.tokens.subarray(from, to),
    targets: b.targets.subarray(from, to),
    weights: b.weights.subarray(from, to),
    t: b.t ? b.t.subarray(start, end) : null,
    lossPositions,
  };
}

/**
 * Buffers kept between steps: the forward cache (and the backward scratch it carries) and the
 * gradient. With a workspace, the returned grads array is the workspace's and is overwritten by
 * the next call; post or copy it before. A detached (transferred) buffer is replaced.
 */
export interface CpuTrainerWorkspace<T extends FloatArray = Float32Array> {
  cache?: ForwardCache<T>;
  grads?: T;
}

/**
 * Forward, weighted cross-entropy and backward of one batch (or a worker's rows of one).
 * Returns the loss (this part's share of the batch loss), ∂loss/∂params, and each row's share
 * of the loss (rowLoss[b] = Σ over the row's positions of the weighted terms; Σ rowLoss = loss).
 */
export function computeGradients<T extends FloatArray>(
  layout: ParameterLayout,
  params: T,
  batch: TrainingBatch,
  workspace: CpuTrainerWorkspace<T> = {},
): { loss: number; grads: T; rowLoss: Float64Array } {
  const { config } = layout;
  if (config.timeConditioning && !batch.t) {
    throw new Error('this network is time-conditioned, but the batch has no masking ratios t');
  }
  const input = {
    tokens: batch.tokens,
    batch: batch.batch,
    length: batch.length,
    t: batch.t ?? undefined,
  };
  const { logits, cache } = forward(layout, params, input, workspace.cache);
  workspace.cache = cache;
  const { loss, dLogits, positionLoss } = maskedCrossEntropy(
    logits,
    batch.targets,
    batch.weights,
    config.vocabSize,
  );
  const rowLoss = new Float64Array(batch.batch);
  for (let n = 0; n < positionLoss.length; n++) {
    rowLoss[Math.floor(n / batch.length)] += positionLoss[n];
  }
  let grads = workspace.grads;
  if (!grads || grads.length !== layout.total) {
    grads = new (params.constructor as new (n: number) => T)(layout.total);
    workspace.grads = grads;
  } else {
    grads.fill(0);
  }
  backward(layout, params, cache, dLogits, grads);
  return { loss, grads, rowLoss };
}

export interface StepGradients<T extends FloatArray> {
  loss: number;
  grads: T;
  /** Positions that carried a loss: masked tokens, or next-token targets. */
  maskedCount: number;
  /** The masking ratio drawn for each row; null for next-token training. */
  tPerRow: Float64Array | null;
}

/** One masked-diffusion gradient on a single worker: draw t and masks, then computeGradients. */
export function maskedDiffusionGradients<T extends FloatArray>(
  layout: ParameterLayout,
  params: T,
  x0: Int32Array,
  batch: number,
  length: number,
  options: MaskedDiffusionOptions,
  workspace?: CpuTrainerWorkspace<T>,
): StepGradients<T> {
  const b = maskedDiffusionBatch(x0, batch, length, options);
  // A network without time conditioning does not see t; it still sets the masking ratio.
  const { loss, grads } = computeGradients(layout, params, b, workspace);
  return { loss, grads, maskedCount: b.lossPositions, tPerRow: b.t };
}

/** One next-token gradient for the autoregressive twin (causal, no time conditioning). */
export function nextTokenGradients<T extends FloatArray>(
  layout: ParameterLayout,
  params: T,
  x0: Int32Array,
  batch: number,
  length: number,
  workspace?: CpuTrainerWorkspace<T>,
): StepGradients<T> {
  const { causal, timeConditioning } = layout.config;
  if (!causal) {
    throw new Error(
      'next-token training needs config.causal: bidirectional attention would see the answer',
    );
  }
  if (timeConditioning) {
    throw new Error(
      'next-token training has no masking ratio: build the twin with timeConditioning false',
    );
  }
  const b = nextTokenBatch(x0, batch, length);
  const { loss, grads } = computeGradients(layout, params, b, workspace);
  return { loss, grads, maskedCount: b.lossPositions, tPerRow: null };
}

/** Adds `part` into `sum` element-wise: how the caller combines the workers' gradients. */
export function addInto(sum: FloatArray, part: FloatArray): void {
  if (sum.length !== part.length)
    throw new Error(`cannot add ${part.length} values into ${sum.length}`);
  for (let i = 0; i < sum.length; i++) sum[i] += part[i];
}

/** One AdamW step at the learning rate the schedule gives for the step about to be taken. */
export function applyUpdate(
  params: FloatArray,
  grads: FloatArray,
  state: AdamWState,
  decayMask: Uint8Array,
  optimizer: Omit<AdamWOptions, 'lr'>,
  schedule: LrSchedule,
): AdamWStepResult & { lr: number } {
  const lr = learningRateAt(state.step, schedule);
  return { lr, ...adamwStep(params, grads, state, decayMask, { ...optimizer, lr }) };
}

/**
 * What one training step's buffers take, from the model's shape and the batch alone: the same
 * buffers allocateTrainingBuffers makes (trainingBuffers.ts; a test allocates them on a fake
 * device and compares), which the CPU reference mirrors as its forward cache. The settings'
 * limits (trainingLimits.ts) are derived from it, so a batch that cannot fit is refused before
 * anything is allocated, naming the buffer that would not fit.
 */
import type { ParameterLayout } from '../model/parameterLayout';
import { ADAMW_UNIFORM_BYTES } from './kernels/adamwKernel';
import { normPartialCount } from './kernels/reductionKernels';

const F32 = 4;

/** A storage buffer's bytes as allocated: whole 16-byte units, at least 16. */
const storageBytes = (elements: number) => Math.max(16, Math.ceil((elements * F32) / 16) * 16);

interface BufferSize {
  label: string;
  bytes: number;
}

interface StepFootprint {
  /** The largest single buffer (it must fit the device's buffer and binding limits). */
  largest: BufferSize;
  /** Every buffer of the step together. */
  totalBytes: number;
}

/** Every buffer of a step with (batch, length), as trainingBuffers.ts allocates them. */
export function stepBuffers(layout: ParameterLayout, batch: number, length: number): BufferSize[] {
  const { dModel: d, ffn: f, vocabSize: V, heads: H, layers } = layout.config;
  const rows = batch * length;
  const scores = batch * H * length * length;
  const total = layout.total;
  const out: BufferSize[] = [];
  const add = (label: string, elements: number) =>
    out.push({ label, bytes: storageBytes(elements) });
  for (let l = 0; l < layers; l++) {
    const p = `layer ${l}`;
    add(`${p} ln1 xhat`, rows * d);
    add(`${p} ln1 rstd`, rows);
    add(`${p} ln1 out`, rows * d);
    add(`${p} qkv`, 3 * rows * d);
    add(`${p} attention weights`, scores);
    add(`${p} attention out`, rows * d);
    add(`${p} ln2 xhat`, rows * d);
    add(`${p} ln2 rstd`, rows);
    add(`${p} ln2 out`, rows * d);
    add(`${p} mlp pre`, rows * f);
    add(`${p} mlp act`, rows * f);
  }
  out.push({ label: 'adamw step uniform', bytes: ADAMW_UNIFORM_BYTES });
  for (const label of ['params', 'grads', 'adam m', 'adam v', 'decay mask']) add(label, total);
  add('tokens', rows);
  add('targets', rows);
  add('loss weights', rows);
  add('t', batch);
  add('token index start', V + 1);
  add('token index positions', rows);
  add('residual', rows * d);
  add('lnf xhat', rows * d);
  add('lnf rstd', rows);
  add('lnf out', rows * d);
  add('logits', rows * V);
  add('dLogits', rows * V);
  add('dResidual', rows * d);
  add('dNormOut', rows * d);
  add('dAttnOut', rows * d);
  add('dQkv', 3 * rows * d);
  add('dScores', scores);
  add('dHidden', rows * f);
  add('row loss', rows);
  add('norm partials', normPartialCount(total));
  add('stats', 4 + batch);
  return out;
}

export function stepFootprint(
  layout: ParameterLayout,
  batch: number,
  length: number,
): StepFootprint {
  const buffers = stepBuffers(layout, batch, length);
  let largest = buffers[0];
  let totalBytes = 0;
  for (const b of buffers) {
    totalBytes += b.bytes;
    if (b.bytes > largest.bytes) largest = b;
  }
  return { largest, totalBytes };
}

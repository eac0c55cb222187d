import * as tf from '@tensorflow/tfjs-core';
import { compileDispatches, encodeDispatches } from '../../src/train/gpuDispatch';
import { BufferUsage } from '../../src/train/gpuFlags';
import { matmulDispatch, rowMajor, transposed } from '../../src/train/kernels/matmulKernel';
import type { TrainerKernels } from '../../src/train/trainerKernels';
import type { MatmulShape } from './trainBenchApi';
import { timeRounds } from './timeRounds';

function randomBuffer(device: GPUDevice, elements: number, label: string): GPUBuffer {
  const data = new Float32Array(elements);
  for (let i = 0; i < elements; i++) data[i] = Math.random() - 0.5;
  const buffer = device.createBuffer({
    label,
    size: Math.ceil(data.byteLength / 16) * 16,
    usage: BufferUsage.STORAGE | BufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

/**
 * Milliseconds per product of our matmul kernel (the variant the trainer uses on this device)
 * at one shape: `reps` dispatches in one pass and one submission, one entry per round, after
 * one untimed submission.
 */
export async function timeOurMatmul(
  device: GPUDevice,
  kernels: TrainerKernels,
  shape: MatmulShape,
  reps: number,
  rounds: number,
): Promise<number[]> {
  const { m, n, k } = shape;
  const a = randomBuffer(device, m * k, 'bench A');
  const b = randomBuffer(device, k * n, 'bench B');
  const c = randomBuffer(device, m * n, 'bench C');
  const spec = matmulDispatch(kernels.matmul, {
    label: shape.label,
    m,
    n,
    k,
    // The same storage either way; only the strides say which side is contiguous.
    a: shape.transposeA ? transposed(a, 0, m) : rowMajor(a, 0, k),
    b: shape.transposeB ? transposed(b, 0, k) : rowMajor(b, 0, n),
    c: rowMajor(c, 0, n),
  });
  const { dispatches, uniformBuffer } = compileDispatches(
    device,
    Array.from({ length: reps }, () => spec),
    shape.label,
  );
  const run = async () => {
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    encodeDispatches(pass, dispatches);
    pass.end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  try {
    return (await timeRounds(run, rounds)).map((ms) => ms / reps);
  } finally {
    for (const buffer of [a, b, c, uniformBuffer]) buffer.destroy();
  }
}

/** The same for tf.matMul on the active TensorFlow.js backend (the result read back ends it). */
export async function timeTfjsMatmul(
  shape: MatmulShape,
  reps: number,
  rounds: number,
): Promise<number[]> {
  const { m, n, k, transposeA, transposeB } = shape;
  const a = tf.randomUniform(transposeA ? [k, m] : [m, k], -0.5, 0.5) as tf.Tensor2D;
  const b = tf.randomUniform(transposeB ? [n, k] : [k, n], -0.5, 0.5) as tf.Tensor2D;
  const run = async () => {
    const outs = Array.from({ length: reps }, () => tf.matMul(a, b, transposeA, transposeB));
    await outs[outs.length - 1].data();
    for (const o of outs) o.dispose();
  };
  try {
    return (await timeRounds(run, rounds)).map((ms) => ms / reps);
  } finally {
    a.dispose();
    b.dispose();
  }
}

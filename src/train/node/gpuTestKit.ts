/**
 * Small helpers for the GPU parity scripts: typed arrays to and from storage buffers, running
 * a list of dispatches, and the error measure of the parity checks.
 */
import { compileDispatches, type DispatchSpec, encodeDispatches } from '../gpuDispatch';
import { BufferUsage, MapMode } from '../gpuFlags';

export function uploadBuffer(
  device: GPUDevice,
  data: Float32Array | Int32Array | Uint32Array,
  label = 'test data',
): GPUBuffer {
  const buffer = device.createBuffer({
    label,
    size: Math.max(16, Math.ceil(data.byteLength / 16) * 16),
    usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, data);
  return buffer;
}

export function emptyBuffer(device: GPUDevice, elements: number, label = 'test output'): GPUBuffer {
  return uploadBuffer(device, new Float32Array(elements), label);
}

export async function downloadBuffer(
  device: GPUDevice,
  buffer: GPUBuffer,
  elements: number,
): Promise<Float32Array> {
  const size = Math.ceil((elements * 4) / 16) * 16;
  const staging = device.createBuffer({
    size,
    usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, size);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(MapMode.READ);
  const out = new Float32Array(staging.getMappedRange(0, elements * 4).slice(0));
  staging.destroy();
  return out;
}

/** Runs the dispatches in one pass and waits for them; throws on a validation error. */
export async function runDispatches(device: GPUDevice, specs: DispatchSpec[]): Promise<void> {
  device.pushErrorScope('validation');
  const { dispatches, uniformBuffer } = compileDispatches(device, specs, 'test');
  const encoder = device.createCommandEncoder();
  const pass = encoder.beginComputePass();
  encodeDispatches(pass, dispatches);
  pass.end();
  device.queue.submit([encoder.finish()]);
  const error = await device.popErrorScope();
  await device.queue.onSubmittedWorkDone();
  uniformBuffer.destroy();
  if (error) throw new Error(`validation error: ${error.message}`);
}

/**
 * One parity check: the largest absolute difference, divided by the largest magnitude of the
 * reference (so near-zero entries of a tensor are held to the tensor's scale).
 */
export interface Check {
  name: string;
  maxAbsError: number;
  scale: number;
  relError: number;
}

export function compare(
  name: string,
  gpu: ArrayLike<number>,
  ref: ArrayLike<number>,
  /** The smallest scale to divide by (for a reference that is zero up to rounding). */
  scaleFloor = 1e-30,
): Check {
  if (gpu.length !== ref.length) {
    throw new Error(`${name}: ${gpu.length} GPU values against ${ref.length} reference values`);
  }
  let maxAbsError = 0;
  let scale = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = Math.abs(gpu[i] - ref[i]);
    // NaN must fail the check, not vanish in Math.max.
    maxAbsError = Number.isNaN(e) ? Infinity : Math.max(maxAbsError, e);
    scale = Math.max(scale, Math.abs(ref[i]));
  }
  scale = Math.max(scale, scaleFloor);
  return { name, maxAbsError, scale, relError: maxAbsError / scale };
}

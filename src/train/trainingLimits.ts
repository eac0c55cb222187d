/**
 * How large a run may be here, derived from the machine rather than discovered by a crash: a
 * step's largest buffer must fit the WebGPU device's buffer limits (maxBufferSize,
 * maxStorageBufferBindingSize), and all of a step's buffers the memory budget (the CPU
 * reference keeps the same activations as its forward cache). stepFootprint.ts says what a
 * batch takes; this file says how many rows fit and why.
 */
import type { ParameterLayout } from '../model/parameterLayout';
import { stepFootprint } from './stepFootprint';

export interface DeviceBufferLimits {
  /** The adapter, for messages ("SwiftShader", "NVIDIA …"). */
  name: string;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** The adapter's name and buffer limits, as a run here is checked against them. */
export function deviceBufferLimits(adapter: GPUAdapter): DeviceBufferLimits {
  const { vendor, architecture, description } = adapter.info;
  return {
    name: [vendor, architecture, description].filter(Boolean).join(' / ') || 'unnamed adapter',
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

export interface MemoryBudget {
  bytes: number;
  /** Where the figure comes from, in words. */
  source: string;
}

export interface TrainingLimits {
  /** The WebGPU device the run will use, or null when it runs on the CPU reference. */
  device: DeviceBufferLimits | null;
  memory: MemoryBudget;
}

const GiB = 1024 ** 3;

/**
 * A quarter of the memory the browser reports (navigator.deviceMemory, in GB, which Chrome
 * rounds down and caps at 8), at most 2 GB: the tab also holds the page, the inference model and
 * the checkpoints. 1 GB when the browser reports nothing.
 */
export function memoryBudget(deviceMemoryGb: number | undefined): MemoryBudget {
  if (!(typeof deviceMemoryGb === 'number' && deviceMemoryGb > 0)) {
    return {
      bytes: GiB,
      source: 'the 1 GB the page allows when the browser does not say its memory',
    };
  }
  const bytes = Math.min(2 * GiB, (deviceMemoryGb * GiB) / 4);
  return {
    bytes,
    source: `a quarter of the ${deviceMemoryGb} GB this browser reports, at most 2 GB`,
  };
}

export function formatBytes(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(1)} GB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${Math.ceil(n / 1024)} KB`;
}

/** The smaller of the device's two per-buffer limits, and its name. */
function bufferLimit(device: DeviceBufferLimits): { bytes: number; name: string } {
  return device.maxStorageBufferBindingSize <= device.maxBufferSize
    ? { bytes: device.maxStorageBufferBindingSize, name: 'maxStorageBufferBindingSize' }
    : { bytes: device.maxBufferSize, name: 'maxBufferSize' };
}

function fits(layout: ParameterLayout, length: number, batch: number, limits: TrainingLimits) {
  const f = stepFootprint(layout, batch, length);
  const perBuffer = limits.device ? bufferLimit(limits.device).bytes : Infinity;
  return f.largest.bytes <= perBuffer && f.totalBytes <= limits.memory.bytes;
}

/** The largest batch that fits both limits (0 when not even one row does). */
export function maxBatch(layout: ParameterLayout, length: number, limits: TrainingLimits): number {
  if (!fits(layout, length, 1, limits)) return 0;
  let lo = 1;
  let hi = 2;
  while (hi < 2 ** 31 && fits(layout, length, hi, limits)) {
    lo = hi;
    hi *= 2;
  }
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(layout, length, mid, limits)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** null when the batch fits, else why not (the buffer, the limit and where it comes from). */
export function batchProblem(
  layout: ParameterLayout,
  length: number,
  batch: number,
  limits: TrainingLimits,
): string | null {
  const f = stepFootprint(layout, batch, length);
  const reasons: string[] = [];
  if (limits.device) {
    const limit = bufferLimit(limits.device);
    if (f.largest.bytes > limit.bytes) {
      reasons.push(
        `one step needs a ${formatBytes(f.largest.bytes)} buffer (${f.largest.label}), and the WebGPU device (${limits.device.name}) allows at most ${formatBytes(limit.bytes)} per buffer (${limit.name})`,
      );
    }
  }
  if (f.totalBytes > limits.memory.bytes) {
    reasons.push(
      `one step's buffers take ${formatBytes(f.totalBytes)} in all, more than ${formatBytes(limits.memory.bytes)} (${limits.memory.source})`,
    );
  }
  if (reasons.length === 0) return null;
  const max = maxBatch(layout, length, limits);
  return `Batch ${batch.toLocaleString('en')} is too large here: ${reasons.join('; and ')}. At most ${max.toLocaleString('en')} fits.`;
}

/** What the page learns of the WebGPU adapter a run would use (null: none). */
export interface AdapterProbe {
  device: DeviceBufferLimits | null;
  /** A software adapter: 'auto' trains on the CPU reference instead. */
  software: boolean;
}

/** The limits a run with this backend choice will meet (the worker makes the same choice). */
export function limitsForBackend(
  backend: 'auto' | 'webgpu' | 'cpu',
  probe: AdapterProbe,
  memory: MemoryBudget,
): TrainingLimits {
  const gpu =
    backend === 'webgpu'
      ? probe.device
      : backend === 'auto' && !probe.software
        ? probe.device
        : null;
  return { device: gpu, memory };
}

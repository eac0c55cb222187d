import { BufferUsage } from './gpuFlags';

/**
 * The unit every kernel produces: one compute dispatch, described as data (pipeline, uniform
 * words, storage buffers in binding order, workgroup counts). A training step is a fixed list
 * of them, built once when the trainer is created; compileDispatches packs all their uniforms
 * into one buffer and creates the bind groups, so recording a step is only setPipeline /
 * setBindGroup / dispatchWorkgroups.
 *
 * Binding convention of every kernel: @binding(0) is its uniform block, @binding(1…n) the
 * storage buffers in the order of `storage`.
 */
export interface DispatchSpec {
  label: string;
  pipeline: GPUComputePipeline;
  /** The kernel's uniform block as 32-bit words, or a uniform buffer the caller rewrites. */
  uniform: Uint32Array | GPUBuffer;
  storage: GPUBuffer[];
  workgroups: [number, number, number];
}

export interface CompiledDispatch {
  label: string;
  pipeline: GPUComputePipeline;
  bindGroup: GPUBindGroup;
  workgroups: [number, number, number];
}

/** WebGPU's guaranteed minUniformBufferOffsetAlignment; every block gets its own slot. */
const UNIFORM_SLOT_BYTES = 256;

/** Builds a uniform block field by field; every field is a 32-bit u32, i32 or f32. */
export class UniformWriter {
  private readonly words: number[] = [];
  private static readonly scratch = new DataView(new ArrayBuffer(4));

  u32(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new Error(`uniform u32 field out of range: ${value}`);
    }
    this.words.push(value);
    return this;
  }

  f32(value: number): this {
    UniformWriter.scratch.setFloat32(0, value, true);
    this.words.push(UniformWriter.scratch.getUint32(0, true));
    return this;
  }

  finish(): Uint32Array {
    if (this.words.length * 4 > UNIFORM_SLOT_BYTES) {
      throw new Error(`a uniform block of ${this.words.length} words exceeds one 256-byte slot`);
    }
    return Uint32Array.from(this.words);
  }
}

/**
 * Creates the bind groups of `specs`, with all their uniform blocks in one new buffer (returned
 * so the owner can destroy it).
 */
export function compileDispatches(
  device: GPUDevice,
  specs: DispatchSpec[],
  label: string,
): { dispatches: CompiledDispatch[]; uniformBuffer: GPUBuffer } {
  const packed = specs.filter((s) => s.uniform instanceof Uint32Array).length;
  const uniformBuffer = device.createBuffer({
    label: `${label}: uniforms`,
    size: Math.max(1, packed) * UNIFORM_SLOT_BYTES,
    usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
  });
  const staging = new Uint32Array((Math.max(1, packed) * UNIFORM_SLOT_BYTES) / 4);
  let slot = 0;
  const dispatches = specs.map((spec) => {
    let uniformEntry: GPUBindGroupEntry;
    if (spec.uniform instanceof Uint32Array) {
      const offset = slot * UNIFORM_SLOT_BYTES;
      staging.set(spec.uniform, offset / 4);
      uniformEntry = {
        binding: 0,
        resource: { buffer: uniformBuffer, offset, size: UNIFORM_SLOT_BYTES },
      };
      slot++;
    } else {
      uniformEntry = { binding: 0, resource: { buffer: spec.uniform } };
    }
    const bindGroup = device.createBindGroup({
      label: spec.label,
      layout: spec.pipeline.getBindGroupLayout(0),
      entries: [
        uniformEntry,
        ...spec.storage.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ],
    });
    for (const n of spec.workgroups) {
      if (!Number.isInteger(n) || n < 1 || n > 65535) {
        throw new Error(`${spec.label}: workgroup count ${n} is outside 1..65535`);
      }
    }
    return {
      label: spec.label,
      pipeline: spec.pipeline,
      bindGroup,
      workgroups: spec.workgroups,
    };
  });
  device.queue.writeBuffer(uniformBuffer, 0, staging);
  return { dispatches, uniformBuffer };
}

/** Records the dispatches, in order, into an open compute pass. */
export function encodeDispatches(
  pass: GPUComputePassEncoder,
  dispatches: CompiledDispatch[],
): void {
  for (const d of dispatches) {
    pass.setPipeline(d.pipeline);
    pass.setBindGroup(0, d.bindGroup);
    pass.dispatchWorkgroups(d.workgroups[0], d.workgroups[1], d.workgroups[2]);
  }
}

/**
 * Workgroup counts for `items` independent invocations in workgroups of `size`, spread over
 * x and y so no dimension exceeds WebGPU's 65535. Kernels rebuild the flat index with
 * flatIndex (wgslCommon.ts).
 */
export function grid1d(items: number, size: number): [number, number, number] {
  const groups = Math.max(1, Math.ceil(items / size));
  if (groups <= 65535) return [groups, 1, 1];
  const y = Math.ceil(groups / 65535);
  return [Math.ceil(groups / y), y, 1];
}

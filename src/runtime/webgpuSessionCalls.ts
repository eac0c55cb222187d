import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { BufferUsage, MapMode } from '../train/gpuFlags';
import type { GpuCallMode } from './gpuCallModes';
import type { Ort } from './ortModel';
import { type CallInput, runWithTensors } from './sessionCall';

/**
 * What a bound call reads back: by default the logits; the generate bench reads our top-k
 * kernel's outputs instead (gpuTopK.ts), encoded after the session's run.
 */
export interface ReadBack {
  buffers: GPUBuffer[];
  encode?(encoder: GPUCommandEncoder): void;
  destroy?(): void;
}

// Whole 16-byte units: onnxruntime-web's kernels read inputs a vec4 at a time, and on a buffer of
// 44 bytes (11 int32 tokens) the logits came out wrong (gpuCallModesCheck.ts).
const bufferSize = (bytes: number) => Math.max(16, Math.ceil(bytes / 16) * 16);

/**
 * GPU buffers kept for one call shape (IO binding): the inputs are written into them, the session
 * computes the logits into its own buffer, and one copy brings the results to mappable buffers.
 */
export class ShapeBinding {
  private readonly inputs: { name: string; buffer: GPUBuffer }[];
  private readonly feeds: Record<string, Tensor> = {};
  private readonly fetches: Record<string, Tensor>;
  /** The session's output, [batch, length, vocab] float32. */
  readonly logits: GPUBuffer;
  private readonly readBack: ReadBack;
  private readonly staging: GPUBuffer[];
  private readonly logitsCount: number;

  constructor(
    ort: Ort,
    private readonly device: GPUDevice,
    inputs: readonly CallInput[],
    logitsName: string,
    logitsDims: number[],
    readBack?: (logits: GPUBuffer) => ReadBack,
  ) {
    const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;
    this.inputs = inputs.map((x) => {
      const buffer = device.createBuffer({ size: bufferSize(x.data.byteLength), usage });
      this.feeds[x.name] = ort.Tensor.fromGpuBuffer(buffer, { dataType: x.type, dims: x.dims });
      return { name: x.name, buffer };
    });
    this.logitsCount = logitsDims.reduce((a, b) => a * b, 1);
    this.logits = device.createBuffer({ size: bufferSize(this.logitsCount * 4), usage });
    this.fetches = {
      [logitsName]: ort.Tensor.fromGpuBuffer(this.logits, {
        dataType: 'float32',
        dims: logitsDims,
      }),
    };
    this.readBack = readBack?.(this.logits) ?? { buffers: [this.logits] };
    this.staging = this.readBack.buffers.map((b) =>
      device.createBuffer({ size: b.size, usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST }),
    );
  }

  /** Writes the inputs, runs the session, and returns the bytes of each read-back buffer. */
  async call(session: InferenceSession, inputs: readonly CallInput[]): Promise<ArrayBuffer[]> {
    inputs.forEach((x, i) => this.device.queue.writeBuffer(this.inputs[i].buffer, 0, x.data));
    await session.run(this.feeds, this.fetches);
    const encoder = this.device.createCommandEncoder();
    this.readBack.encode?.(encoder);
    this.readBack.buffers.forEach((b, i) =>
      encoder.copyBufferToBuffer(b, 0, this.staging[i], 0, b.size),
    );
    this.device.queue.submit([encoder.finish()]);
    await Promise.all(this.staging.map((s) => s.mapAsync(MapMode.READ)));
    return this.staging.map((s) => {
      const bytes = s.getMappedRange().slice(0);
      s.unmap();
      return bytes;
    });
  }

  /** The logits of a call whose read-back is the default one, [batch, length, vocab]. */
  async callForLogits(session: InferenceSession, inputs: readonly CallInput[]) {
    const [bytes] = await this.call(session, inputs);
    // The buffer may be longer (whole 16-byte units): a tight copy, to be transferred.
    return new Float32Array(bytes, 0, this.logitsCount).slice();
  }

  destroy(): void {
    for (const x of this.inputs) x.buffer.destroy();
    this.logits.destroy();
    this.readBack.destroy?.();
    for (const s of this.staging) s.destroy();
  }
}

/** IO-bound shapes kept at once: a run uses one or two; the labs' batches add a few. */
const KEPT_SHAPES = 4;

/**
 * The ways of calling a model on onnxruntime-web's WebGPU provider (gpuCallModes.ts). `session`
 * was opened with preferredOutputLocation 'gpu-buffer', so that both modes can use it.
 */
export class WebGpuSessionCalls {
  private readonly bindings = new Map<string, ShapeBinding>();

  constructor(
    private readonly ort: Ort,
    private readonly session: InferenceSession,
    private readonly logitsName: string,
  ) {}

  async call(
    mode: GpuCallMode,
    inputs: readonly CallInput[],
    logitsDims: number[],
  ): Promise<Float32Array> {
    if (mode === 'tensors') return runWithTensors(this.ort, this.session, inputs, this.logitsName);
    const key = inputs.map((x) => `${x.name}:${x.type}:${x.dims.join('x')}`).join(',');
    let binding = this.bindings.get(key);
    if (binding) {
      this.bindings.delete(key);
    } else {
      const device = (await this.ort.env.webgpu.device) as GPUDevice;
      binding = new ShapeBinding(this.ort, device, inputs, this.logitsName, logitsDims);
      if (this.bindings.size >= KEPT_SHAPES) {
        const [oldest] = this.bindings.keys();
        this.bindings.get(oldest)!.destroy();
        this.bindings.delete(oldest);
      }
    }
    this.bindings.set(key, binding); // the most recently used last
    return binding.callForLogits(this.session, inputs);
  }

  release(): void {
    for (const b of this.bindings.values()) b.destroy();
    this.bindings.clear();
  }
}

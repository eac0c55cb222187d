import { BufferUsage, MapMode } from './gpuFlags';
import { STATS_HEADER } from './trainingBuffers';

/**
 * Brings each step's scalars (loss, gradient norm, clip factor) and the loss of each window of
 * the batch back to the CPU without ever waiting on the GPU inside a step. Every step appends a
 * copy of the stats buffer (16 bytes of scalars, then 4 bytes per window, padded to 16) to a
 * GPU-side history of `every` slots (inside the step's own command encoder); when the history is
 * full, the same encoder copies it into a free staging buffer of a small ring, and mapAsync is
 * started right after the submission; it resolves while later steps are already queued.
 * If the reader lets the whole ring stay busy, one more staging buffer is created rather than
 * stalling the step or dropping records.
 */
export interface StepRecord {
  /** The update number this record belongs to (1 for the first step). */
  step: number;
  /** The batch loss, computed with the parameters before this update. */
  loss: number;
  /** The global L2 norm of the gradient before clipping. */
  gradNorm: number;
  /** The factor the gradient was multiplied by (1 when not clipped). */
  clipScale: number;
  /** The learning rate the update used. */
  lr: number;
  /**
   * Each window's share of the batch loss (Σ of its positions' weighted terms; they sum to
   * `loss`), in batch order: with each row's t, the loss by masking ratio.
   */
  rowLoss: Float32Array;
}

interface StepMeta {
  step: number;
  lr: number;
}

export class LossReadback {
  private readonly history: GPUBuffer;
  private readonly free: GPUBuffer[] = [];
  private readonly all: GPUBuffer[] = [];
  private pending: StepMeta[] = [];
  private inFlight: Promise<void>[] = [];
  /** Staged batches by sequence number, kept until taken in order. */
  private readonly arrived = new Map<number, StepRecord[]>();
  private nextSequence = 0;
  private nextToTake = 0;
  /** A failed mapping (e.g. the device was lost), reported by the next take or read. */
  private failure: unknown = null;
  /** Floats per history slot: the scalars, the window losses, padding to 16 bytes. */
  private readonly stride: number;

  constructor(
    private readonly device: GPUDevice,
    private readonly stats: GPUBuffer,
    private readonly every: number,
    ringSize: number,
    /** Windows per batch: how many window losses follow the scalars in `stats`. */
    private readonly windows = 0,
  ) {
    if (!Number.isInteger(every) || every < 1) {
      throw new Error(`the loss read-back interval must be a positive integer, got ${every}`);
    }
    this.stride = Math.ceil((STATS_HEADER + windows) / 4) * 4;
    this.history = device.createBuffer({
      label: 'loss history',
      size: every * this.recordBytes,
      usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    for (let i = 0; i < ringSize; i++) this.free.push(this.createStaging());
  }

  private get recordBytes(): number {
    return this.stride * 4;
  }

  /** How many staging buffers exist (the ring, plus any created because it ran dry). */
  get stagingCount(): number {
    return this.all.length;
  }

  /**
   * Appends the step's stats to the history inside `encoder`. Returns a function to call right
   * after the encoder's submission (it starts the mapping), or null.
   */
  record(encoder: GPUCommandEncoder, step: number, lr: number): (() => void) | null {
    const slot = this.pending.length;
    const bytes = this.recordBytes;
    encoder.copyBufferToBuffer(this.stats, 0, this.history, slot * bytes, bytes);
    this.pending.push({ step, lr });
    if (this.pending.length < this.every) return null;
    return this.stage(encoder);
  }

  /** The records that have already arrived, in step order; never waits. */
  take(): StepRecord[] {
    if (this.failure) throw this.failure;
    const out: StepRecord[] = [];
    for (;;) {
      const records = this.arrived.get(this.nextToTake);
      if (!records) return out;
      this.arrived.delete(this.nextToTake);
      this.nextToTake++;
      out.push(...records);
    }
  }

  /** Every record not yet taken, in step order; waits only for the steps already submitted. */
  async read(): Promise<StepRecord[]> {
    if (this.pending.length > 0) {
      const encoder = this.device.createCommandEncoder({ label: 'loss flush' });
      const start = this.stage(encoder);
      this.device.queue.submit([encoder.finish()]);
      start();
    }
    const waiting = this.inFlight;
    this.inFlight = [];
    await Promise.all(waiting);
    return this.take();
  }

  destroy(): void {
    this.history.destroy();
    for (const b of this.all) b.destroy();
  }

  private createStaging(): GPUBuffer {
    const b = this.device.createBuffer({
      label: `loss staging ${this.all.length}`,
      size: this.every * this.recordBytes,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    this.all.push(b);
    return b;
  }

  private stage(encoder: GPUCommandEncoder): () => void {
    const meta = this.pending;
    this.pending = [];
    const sequence = this.nextSequence++;
    const staging = this.free.pop() ?? this.createStaging();
    const { stride, windows } = this;
    const bytes = meta.length * this.recordBytes;
    encoder.copyBufferToBuffer(this.history, 0, staging, 0, bytes);
    return () => {
      const done: Promise<void> = staging.mapAsync(MapMode.READ, 0, bytes).then(() => {
        const values = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
        staging.unmap();
        this.free.push(staging);
        this.arrived.set(
          sequence,
          meta.map((m, i) => ({
            step: m.step,
            loss: values[i * stride],
            gradNorm: values[i * stride + 1],
            clipScale: values[i * stride + 2],
            lr: m.lr,
            rowLoss: values.slice(i * stride + STATS_HEADER, i * stride + STATS_HEADER + windows),
          })),
        );
        this.inFlight = this.inFlight.filter((p) => p !== settled);
      });
      // Kept as a resolved-or-recorded promise: a lost device must not become an unhandled
      // rejection when nobody is reading.
      const settled = done.catch((error: unknown) => {
        this.failure ??= error;
      });
      this.inFlight.push(settled);
    };
  }
}

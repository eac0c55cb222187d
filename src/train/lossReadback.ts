import { BufferUsage, MapMode } from './gpuFlags';

/**
 * Brings each step's scalars (loss, gradient norm, clip factor) back to the CPU without ever
 * waiting on the GPU inside a step. Every step appends a 16-byte copy of the stats buffer to a
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
}

const RECORD_BYTES = 16;

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

  constructor(
    private readonly device: GPUDevice,
    private readonly stats: GPUBuffer,
    private readonly every: number,
    ringSize: number,
  ) {
    if (!Number.isInteger(every) || every < 1) {
      throw new Error(`the loss read-back interval must be a positive integer, got ${every}`);
    }
    this.history = device.createBuffer({
      label: 'loss history',
      size: every * RECORD_BYTES,
      usage: BufferUsage.COPY_SRC | BufferUsage.COPY_DST,
    });
    for (let i = 0; i < ringSize; i++) this.free.push(this.createStaging());
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
    encoder.copyBufferToBuffer(this.stats, 0, this.history, slot * RECORD_BYTES, RECORD_BYTES);
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
      size: this.every * RECORD_BYTES,
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
    const bytes = meta.length * RECORD_BYTES;
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
            loss: values[i * 4],
            gradNorm: values[i * 4 + 1],
            clipScale: values[i * 4 + 2],
            lr: m.lr,
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

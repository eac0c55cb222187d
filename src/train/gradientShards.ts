/**
 * Data-parallel gradients for the CPU backend: a batch is cut into contiguous shards of rows,
 * the first computed in the calling thread and each other one in a gradient worker
 * (gradientWorker.ts in a page, node/gradientWorker.ts in Node), and their gradients summed in
 * shard order. The loss weights are normalised over the whole batch before the cut
 * (cpuTrainer.ts), so the sum is the full batch's loss and gradient.
 *
 * Weights and gradients cross threads through SharedArrayBuffers: every worker reads the one
 * copy of the parameters and writes its gradient into a buffer of its own; a message carries
 * only the shard's rows, and back the loss. The worker starts a shard only after the update
 * (its message is posted after it), and the caller reads the gradient only after the reply.
 */
import type { ModelConfig } from '../model/config';
import {
  batchRows,
  computeGradients,
  type CpuTrainerWorkspace,
  type TrainingBatch,
} from '../model/cpuTrainer';
import { buildParameterLayout, type ParameterLayout } from '../model/parameterLayout';

export type ToGradientWorker =
  | { type: 'init'; config: ModelConfig; params: SharedArrayBuffer; grads: SharedArrayBuffer }
  | { type: 'shard'; batch: TrainingBatch };

export type FromGradientWorker =
  { type: 'gradient'; loss: number; rowLoss: Float64Array } | { type: 'error'; message: string };

/** One worker as the pool sees it, whatever the platform (Web Worker or worker thread). */
export interface GradientWorkerLink {
  post(message: ToGradientWorker): void;
  /** Called with each reply, in the order the shards were posted. */
  onReply(handler: (reply: FromGradientWorker) => void): void;
  terminate(): void;
}

/** The message handler of a gradient worker, platform-free (the entries wire it up). */
export function gradientWorkerHandler(): (message: ToGradientWorker) => FromGradientWorker | null {
  let state: {
    layout: ParameterLayout;
    params: Float32Array;
    grads: Float32Array;
    workspace: CpuTrainerWorkspace;
  } | null = null;
  return (message) => {
    try {
      if (message.type === 'init') {
        state = {
          layout: buildParameterLayout(message.config),
          params: new Float32Array(message.params),
          grads: new Float32Array(message.grads),
          workspace: {},
        };
        return null;
      }
      if (!state) throw new Error('the gradient worker got a shard before its weights');
      const { loss, grads, rowLoss } = computeGradients(
        state.layout,
        state.params,
        message.batch,
        state.workspace,
      );
      state.grads.set(grads);
      return { type: 'gradient', loss, rowLoss };
    } catch (e) {
      return { type: 'error', message: e instanceof Error ? e.message : String(e) };
    }
  };
}

/** Rows [start, end) of a batch as a copy (what is posted must not drag the whole batch along). */
function shardCopy(b: TrainingBatch, start: number, end: number): TrainingBatch {
  const v = batchRows(b, start, end);
  return {
    ...v,
    tokens: v.tokens.slice(),
    targets: v.targets.slice(),
    weights: v.weights.slice(),
    t: v.t ? v.t.slice() : null,
  };
}

/** How many threads a CPU run uses: every core up to 4, and never more shards than rows. */
export function cpuThreads(hardwareConcurrency: number | undefined, batch: number): number {
  const cores = Number.isInteger(hardwareConcurrency) ? hardwareConcurrency! : 1;
  return Math.max(1, Math.min(4, cores, batch));
}

export interface GradientResult {
  loss: number;
  grads: Float32Array;
  rowLoss: Float64Array;
}

/**
 * The parameters in shared memory and the workers that read them: `params` is the array the
 * backend updates in place; gradient() sums the shards' gradients of one batch.
 */
export class GradientPool {
  readonly params: Float32Array;
  private readonly workerGrads: Float32Array[];
  private readonly sum: Float32Array;
  private readonly workspace: CpuTrainerWorkspace = {};
  private readonly waiting: ((reply: FromGradientWorker) => void)[][];

  constructor(
    readonly layout: ParameterLayout,
    initial: Float32Array,
    private readonly workers: GradientWorkerLink[],
  ) {
    const bytes = layout.total * 4;
    // Shared only when there are workers: a page that is not cross-origin isolated has none.
    this.params = workers.length
      ? new Float32Array(new SharedArrayBuffer(bytes))
      : new Float32Array(layout.total);
    this.params.set(initial);
    this.sum = new Float32Array(layout.total);
    this.workerGrads = [];
    this.waiting = workers.map(() => []);
    workers.forEach((w, i) => {
      const grads = new SharedArrayBuffer(bytes);
      this.workerGrads.push(new Float32Array(grads));
      w.onReply((reply) => this.waiting[i].shift()?.(reply));
      w.post({
        type: 'init',
        config: layout.config,
        params: this.params.buffer as SharedArrayBuffer,
        grads,
      });
    });
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /** The batch's loss, gradient (a buffer reused by the next call) and per-row losses. */
  async gradient(batch: TrainingBatch): Promise<GradientResult> {
    const shards = Math.min(this.threads, batch.batch);
    const bounds = Array.from({ length: shards + 1 }, (_, s) =>
      Math.floor((s * batch.batch) / shards),
    );
    const replies: Promise<FromGradientWorker>[] = [];
    for (let s = 1; s < shards; s++) {
      const i = s - 1;
      replies.push(new Promise((resolve) => this.waiting[i].push(resolve)));
      this.workers[i].post({ type: 'shard', batch: shardCopy(batch, bounds[s], bounds[s + 1]) });
    }
    // The first shard here, while the workers compute theirs.
    const own = computeGradients(
      this.layout,
      this.params,
      shards === 1 ? batch : batchRows(batch, 0, bounds[1]),
      this.workspace,
    );
    const rowLoss = new Float64Array(batch.batch);
    rowLoss.set(own.rowLoss, 0);
    let loss = own.loss;
    const sum = this.sum;
    sum.set(own.grads);
    const answers = await Promise.all(replies);
    answers.forEach((reply, i) => {
      if (reply.type === 'error') throw new Error(`a gradient worker failed: ${reply.message}`);
      loss += reply.loss;
      rowLoss.set(reply.rowLoss, bounds[i + 1]);
      const g = this.workerGrads[i];
      for (let j = 0; j < sum.length; j++) sum[j] += g[j];
    });
    return { loss, grads: sum, rowLoss };
  }

  destroy(): void {
    for (const w of this.workers) w.terminate();
  }
}

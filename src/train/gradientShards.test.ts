import { afterEach, describe, expect, it } from 'vitest';
import { getCorpus } from '../core/corpus';
import { Rng } from '../core/rng';
import { computeGradients, maskedDiffusionBatch } from '../model/cpuTrainer';
import { initParameters } from '../model/init';
import { buildParameterLayout } from '../model/parameterLayout';
import { createCpuStepBackend, type StepBackend } from './cpuStepBackend';
import {
  cpuThreads,
  gradientWorkerHandler,
  GradientPool,
  type GradientWorkerLink,
} from './gradientShards';
import { startNodeGradientWorkers } from './node/gradientWorkerLinks';
import { configForPreset } from './trainingProtocol';

const corpus = getCorpus('toy-sentences');
const layout = buildParameterLayout(configForPreset('tiny', corpus.vocab.size, corpus.seqLen));
const initial = initParameters(layout, 3, (n) => new Float32Array(n));

function batchOf(seed: number, rows: number) {
  const rng = new Rng(seed);
  const x0 = corpus.sampleBatch(rng, rows);
  return maskedDiffusionBatch(x0, rows, corpus.seqLen, {
    maskId: corpus.vocab.maskId,
    rng,
    weighting: 'elbo',
  });
}

const maxRelative = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let scale = 0;
  let diff = 0;
  for (let i = 0; i < a.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]));
    diff = Math.max(diff, Math.abs(a[i] - b[i]));
  }
  return diff / scale;
};

/** A worker link that answers in this thread, a macrotask later, like a real one. */
function inThreadWorker(): GradientWorkerLink {
  const handle = gradientWorkerHandler();
  let reply: Parameters<GradientWorkerLink['onReply']>[0] = () => {};
  return {
    post: (m) => {
      const r = handle(structuredClone(m));
      if (r) setTimeout(() => reply(r), 0);
    },
    onReply: (h) => void (reply = h),
    terminate: () => {},
  };
}

const started: StepBackend[] = [];
afterEach(() => {
  for (const b of started.splice(0)) b.destroy();
});

describe('data-parallel CPU gradients', () => {
  it('uses every core up to 4, never more threads than rows', () => {
    expect(cpuThreads(1, 32)).toBe(1);
    expect(cpuThreads(2, 32)).toBe(2);
    expect(cpuThreads(16, 32)).toBe(4);
    expect(cpuThreads(16, 3)).toBe(3);
    expect(cpuThreads(undefined, 32)).toBe(1);
  });

  it('the sum of the shards is the whole batch: loss, gradient and each row’s loss', async () => {
    const batch = batchOf(5, 10);
    const whole = computeGradients(layout, initial.slice(), batch);
    const pool = new GradientPool(layout, initial, [inThreadWorker(), inThreadWorker()]);
    expect(pool.threads).toBe(3);
    const sharded = await pool.gradient(batch);
    expect(sharded.loss).toBeCloseTo(whole.loss, 5);
    expect(maxRelative(sharded.grads, whole.grads)).toBeLessThan(1e-5);
    expect(maxRelative(sharded.rowLoss, whole.rowLoss)).toBeLessThan(1e-5);
    // 10 rows in 3 shards: [0, 3), [3, 6), [6, 10).
    expect(sharded.rowLoss).toHaveLength(10);
  });

  it(
    'a backend on worker threads trains like one without: the same losses and weights',
    { timeout: 60_000 },
    async () => {
      const run = async (backend: StepBackend) => {
        started.push(backend);
        const losses: number[] = [];
        for (let s = 0; s < 5; s++) {
          backend.step(batchOf(100 + s, 8), 3e-3);
          await backend.throttle(2);
          losses.push(...backend.takeLoss().map((r) => r.loss));
        }
        return { losses, params: await backend.readParams() };
      };
      const alone = await run(createCpuStepBackend(layout, initial));
      const threaded = await run(
        createCpuStepBackend(layout, initial, startNodeGradientWorkers(1)),
      );
      expect(threaded.losses).toHaveLength(5);
      expect(maxRelative(threaded.losses, alone.losses)).toBeLessThan(1e-5);
      expect(maxRelative(threaded.params, alone.params)).toBeLessThan(1e-4);
      // The weights moved, so the agreement above is not that of two idle runs.
      expect(maxRelative(alone.params, initial)).toBeGreaterThan(1e-3);
    },
  );

  it('a worker that fails makes the step fail with its reason', async () => {
    const broken: GradientWorkerLink = {
      post: () => {},
      onReply: (h) => setTimeout(() => h({ type: 'error', message: 'out of memory' }), 0),
      terminate: () => {},
    };
    const backend = createCpuStepBackend(layout, initial, [broken]);
    backend.step(batchOf(1, 4), 1e-3);
    await expect(backend.throttle(2)).rejects.toThrow(/gradient worker failed: out of memory/);
  });
});

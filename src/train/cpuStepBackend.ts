import { adamwStep, type AdamWState, DEFAULT_ADAMW, weightDecayMask } from '../model/adamw';
import type { ParameterLayout } from '../model/parameterLayout';
import type { GpuTrainer } from './gpuTrainer';
import { GradientPool, type GradientResult, type GradientWorkerLink } from './gradientShards';
import type { StepRecord } from './lossReadback';

/** The part of the GPU trainer's API a training run uses; the CPU reference implements it too. */
export type StepBackend = Pick<
  GpuTrainer,
  | 'step'
  | 'stepCount'
  | 'throttle'
  | 'takeLoss'
  | 'readLoss'
  | 'readParams'
  | 'readOptimizerState'
  | 'loadState'
  | 'destroy'
>;

/**
 * Lets the worker's message queue run between CPU steps, so Pause is heard at once. Not
 * setTimeout(0): browsers clamp nested timers to 4 ms, a tenth of a small model's step.
 */
function yieldToEvents(): Promise<void> {
  const g = globalThis as { setImmediate?: (f: () => void) => void };
  if (g.setImmediate) return new Promise((resolve) => g.setImmediate!(resolve));
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

/**
 * The CPU reference (src/model) behind the trainer API. With gradient workers, each batch is
 * cut into one shard per thread (gradientShards.ts); without, it is computed here, at once.
 * A step is finished (its record ready) once throttle(), readLoss() or readParams() resolves.
 * Like the GPU trainer, a step with a non-finite gradient leaves params, m and v untouched and
 * reports the norm, so the run's roll-back logic is the same for both.
 */
export function createCpuStepBackend(
  layout: ParameterLayout,
  initial: Float32Array,
  workers: GradientWorkerLink[] = [],
): StepBackend {
  const pool = new GradientPool(layout, initial, workers);
  const params = pool.params;
  let state: AdamWState = {
    m: new Float32Array(layout.total),
    v: new Float32Array(layout.total),
    step: 0,
  };
  const decay = weightDecayMask(layout);
  let pending: StepRecord[] = [];
  let inFlight: Promise<void> | null = null;

  function apply({ loss, grads, rowLoss: rows }: GradientResult, lr: number) {
    const rowLoss = Float32Array.from(rows);
    let gradNorm = 0;
    for (let i = 0; i < grads.length; i++) gradNorm += grads[i] * grads[i];
    gradNorm = Math.sqrt(gradNorm);
    const update = state.step + 1;
    if (!Number.isFinite(gradNorm) || !Number.isFinite(loss)) {
      state.step = update;
      pending.push({ step: update, loss, gradNorm, clipScale: NaN, lr, rowLoss });
      return;
    }
    const r = adamwStep(params, grads, state, decay, { ...DEFAULT_ADAMW, lr });
    pending.push({ step: update, loss, gradNorm: r.gradNorm, clipScale: r.clipScale, lr, rowLoss });
  }

  const settle = async () => {
    if (inFlight) await inFlight;
  };

  return {
    get stepCount() {
      return state.step;
    },
    step(batch, lr) {
      if (inFlight) throw new Error('the previous CPU step has not finished (await throttle())');
      const step = pool.gradient(batch).then((g) => apply(g, lr));
      inFlight = step;
      // Its failure reaches whoever awaits it (throttle, readLoss…); here it only clears.
      const clear = () => {
        if (inFlight === step) inFlight = null;
      };
      step.then(clear, clear);
    },
    async throttle() {
      await settle();
      await yieldToEvents();
    },
    takeLoss() {
      const out = pending;
      pending = [];
      return out;
    },
    async readLoss() {
      await settle();
      const out = pending;
      pending = [];
      return out;
    },
    async readParams() {
      await settle();
      return params.slice();
    },
    async readOptimizerState() {
      await settle();
      return { m: state.m.slice(), v: state.v.slice(), step: state.step };
    },
    loadState(s) {
      if (inFlight) throw new Error('a CPU step is still running');
      if (s.params.length !== layout.total) throw new Error('the state does not fit this model');
      params.set(s.params);
      state = { m: s.optimizer.m.slice(), v: s.optimizer.v.slice(), step: s.optimizer.step };
      pending = [];
    },
    destroy() {
      pending = [];
      pool.destroy();
    },
  };
}

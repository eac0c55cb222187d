import { adamwStep, type AdamWState, DEFAULT_ADAMW, weightDecayMask } from '../model/adamw';
import { computeGradients, type CpuTrainerWorkspace } from '../model/cpuTrainer';
import type { ParameterLayout } from '../model/parameterLayout';
import type { GpuTrainer } from './gpuTrainer';
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

/** Lets the worker's message queue run between CPU steps, so Pause is heard at once. */
const yieldToEvents = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The CPU reference (src/model) behind the trainer API: synchronous steps whose records are
 * ready at once. Like the GPU trainer, a step with a non-finite gradient leaves params, m and v
 * untouched and reports the norm, so the run's roll-back logic is the same for both.
 */
export function createCpuStepBackend(layout: ParameterLayout, initial: Float32Array): StepBackend {
  const params = initial.slice();
  let state: AdamWState = {
    m: new Float32Array(layout.total),
    v: new Float32Array(layout.total),
    step: 0,
  };
  const decay = weightDecayMask(layout);
  const workspace: CpuTrainerWorkspace<Float32Array> = {};
  let pending: StepRecord[] = [];
  return {
    get stepCount() {
      return state.step;
    },
    step(batch, lr) {
      const { loss, grads, rowLoss: rows } = computeGradients(layout, params, batch, workspace);
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
      pending.push({
        step: update,
        loss,
        gradNorm: r.gradNorm,
        clipScale: r.clipScale,
        lr,
        rowLoss,
      });
    },
    throttle: () => yieldToEvents(),
    takeLoss() {
      const out = pending;
      pending = [];
      return out;
    },
    readLoss() {
      const out = pending;
      pending = [];
      return Promise.resolve(out);
    },
    readParams: () => Promise.resolve(params.slice()),
    readOptimizerState: () =>
      Promise.resolve({ m: state.m.slice(), v: state.v.slice(), step: state.step }),
    loadState(s) {
      if (s.params.length !== layout.total) throw new Error('the state does not fit this model');
      params.set(s.params);
      state = { m: s.optimizer.m.slice(), v: s.optimizer.v.slice(), step: s.optimizer.step };
      pending = [];
    },
    destroy() {
      pending = [];
    },
  };
}

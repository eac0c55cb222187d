/**
 * `npx tsx scripts/measure-cpu-step.ts`: milliseconds per CPU training step (float32) of the
 * default-sized model: V = 130, seqLen = 16, d = 64, 4 heads, 4 layers, ffn = 256, batch 64,
 * time-conditioned masked diffusion with the 'elbo' weighting. Also prints the forward alone
 * and a half-batch gradient (what each of two data-parallel workers computes). One thread.
 */
import { Rng } from '../src/core/rng';
import { createAdamWState, DEFAULT_ADAMW, weightDecayMask } from '../src/model/adamw';
import { LAYER_NORM_EPS, type ModelConfig } from '../src/model/config';
import {
  applyUpdate,
  batchRows,
  computeGradients,
  type CpuTrainerWorkspace,
  maskedDiffusionBatch,
  maskedDiffusionGradients,
} from '../src/model/cpuTrainer';
import { forward, type ForwardCache } from '../src/model/forward';
import { initParameters } from '../src/model/init';
import { buildParameterLayout } from '../src/model/parameterLayout';

const config: ModelConfig = {
  vocabSize: 130,
  seqLen: 16,
  dModel: 64,
  heads: 4,
  layers: 4,
  ffn: 256,
  timeConditioning: true,
  causal: false,
  layerNormEps: LAYER_NORM_EPS,
};
const batch = 64;
const length = config.seqLen;
const warmup = 3;
const steps = 15;

const layout = buildParameterLayout(config);
const params = initParameters(layout, 1, (n) => new Float32Array(n));
const rng = new Rng(2);
const x0 = new Int32Array(batch * length);
for (let i = 0; i < x0.length; i++) x0[i] = 3 + rng.int(config.vocabSize - 3);
const state = createAdamWState(layout.total);
const decay = weightDecayMask(layout);
const schedule = { peak: 1e-3, warmupSteps: 10, totalSteps: 1000, floor: 1e-4 };
const options = { maskId: 0, rng, weighting: 'elbo' as const };

/**
 * Wall time per call, and the CPU time this process spent per call: on a shared machine the
 * second is closer to what the step costs on an idle core.
 */
function timeIt(label: string, run: () => void): void {
  for (let i = 0; i < warmup; i++) run();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < steps; i++) run();
  const wall = (performance.now() - start) / steps;
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1000 / steps;
  console.log(`${label}: ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU`);
}

console.log(
  `CPU step, float32, ${layout.total} parameters, batch ${batch} × ${length}, d ${config.dModel}, ` +
    `${config.layers} layers, ffn ${config.ffn}, V ${config.vocabSize}`,
);
const workspace: CpuTrainerWorkspace = {};
let loss = 0;
timeIt('training step (masking + forward + loss + backward + AdamW)', () => {
  const result = maskedDiffusionGradients(layout, params, x0, batch, length, options, workspace);
  applyUpdate(params, result.grads, state, decay, DEFAULT_ADAMW, schedule);
  loss = result.loss;
});
console.log(`  (loss after ${state.step} steps on one fixed batch: ${loss.toFixed(3)})`);

let cache: ForwardCache<Float32Array> | undefined;
const full = maskedDiffusionBatch(x0, batch, length, options);
timeIt('forward only', () => {
  cache = forward(layout, params, { tokens: full.tokens, batch, length, t: full.t! }, cache).cache;
});
const half = batchRows(full, 0, batch / 2);
const halfWorkspace: CpuTrainerWorkspace = {};
timeIt('gradient of half the batch (one of two data-parallel workers)', () => {
  computeGradients(layout, params, half, halfWorkspace);
});

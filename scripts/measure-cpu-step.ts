/**
 * `npx tsx scripts/measure-cpu-step.ts [preset] [batch]`: milliseconds per CPU training step
 * (float32, one thread) of a Train-panel preset (default: the panel's default settings), with
 * the WebAssembly SIMD kernels (src/model/wasm) and with the JavaScript kernels alone, and the
 * forward pass alone. Time-conditioned masked diffusion with the 'elbo' weighting on the toy
 * corpus. Prints wall and CPU time per step: on a shared machine the CPU time is closer to
 * what the step costs on an idle core.
 */
import { getCorpus } from '../src/core/corpus';
import { Rng } from '../src/core/rng';
import { createAdamWState, DEFAULT_ADAMW, weightDecayMask } from '../src/model/adamw';
import {
  applyUpdate,
  type CpuTrainerWorkspace,
  maskedDiffusionBatch,
  maskedDiffusionGradients,
} from '../src/model/cpuTrainer';
import { forward, type ForwardCache } from '../src/model/forward';
import { initParameters } from '../src/model/init';
import { buildParameterLayout } from '../src/model/parameterLayout';
import { setSimdKernelsEnabled } from '../src/model/wasm/simdKernels';
import {
  configForPreset,
  DEFAULT_SETTINGS,
  MODEL_PRESETS,
  type ModelPreset,
} from '../src/train/trainingProtocol';

const preset = (process.argv[2] ?? DEFAULT_SETTINGS.preset) as ModelPreset;
if (!(preset in MODEL_PRESETS)) throw new Error(`unknown preset ${preset}`);
const batch = Number(process.argv[3] ?? DEFAULT_SETTINGS.batch);
const corpus = getCorpus('toy-sentences');
const length = corpus.seqLen;
const layout = buildParameterLayout(configForPreset(preset, corpus.vocab.size, length));
const warmup = 5;
const steps = Math.max(10, Math.round(2000 / batch));
const x0 = corpus.sampleBatch(new Rng(2), batch);
const schedule = { peak: 1e-3, warmupSteps: 10, totalSteps: 1000, floor: 1e-4 };

function timeIt(label: string, run: () => void): void {
  for (let i = 0; i < warmup; i++) run();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < steps; i++) run();
  const wall = (performance.now() - start) / steps;
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1000 / steps;
  console.log(`  ${label}: ${wall.toFixed(1)} ms wall, ${cpu.toFixed(1)} ms CPU`);
}

console.log(
  `CPU step, float32, one thread: ${preset} (${layout.total} parameters), batch ${batch} × ${length}`,
);
for (const simd of [true, false]) {
  setSimdKernelsEnabled(simd);
  console.log(simd ? 'WebAssembly SIMD kernels:' : 'JavaScript kernels:');
  const params = initParameters(layout, 1, (n) => new Float32Array(n));
  const state = createAdamWState(layout.total);
  const decay = weightDecayMask(layout);
  const options = { maskId: corpus.vocab.maskId, rng: new Rng(3), weighting: 'elbo' as const };
  const workspace: CpuTrainerWorkspace = {};
  timeIt('training step (masking + forward + loss + backward + AdamW)', () => {
    const result = maskedDiffusionGradients(layout, params, x0, batch, length, options, workspace);
    applyUpdate(params, result.grads, state, decay, DEFAULT_ADAMW, schedule);
  });
  let cache: ForwardCache<Float32Array> | undefined;
  const full = maskedDiffusionBatch(x0, batch, length, options);
  timeIt('forward only', () => {
    const input = { tokens: full.tokens, batch, length, t: full.t! };
    cache = forward(layout, params, input, cache).cache;
  });
}

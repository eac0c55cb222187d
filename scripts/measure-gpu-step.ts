/**
 * `npx tsx scripts/measure-gpu-step.ts [--steps N] [--native] [--profile]`: training steps per
 * second of the WebGPU trainer (src/train, Dawn in Node) against the CPU reference (float32,
 * one thread), at the default toy size: V = 147, seqLen = 16, d = 64, 4 heads, 4 layers,
 * ffn = 256, batch 64, time-conditioned masked diffusion with the 'elbo' weighting.
 *
 * Without --native the script re-runs itself on SwiftShader (Debian chromium's software Vulkan
 * device), the adapter of a machine without a GPU; with --native Dawn picks the machine's own
 * adapter. --profile also prints the process CPU time of each kind of dispatch (each submitted
 * and waited for on its own): on a software adapter that is the kernel's cost.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Rng } from '../src/core/rng';
import { createAdamWState, DEFAULT_ADAMW, weightDecayMask } from '../src/model/adamw';
import { LAYER_NORM_EPS, type ModelConfig } from '../src/model/config';
import {
  applyUpdate,
  computeGradients,
  type CpuTrainerWorkspace,
  maskedDiffusionBatch,
  type TrainingBatch,
} from '../src/model/cpuTrainer';
import { initParameters } from '../src/model/init';
import { buildParameterLayout } from '../src/model/parameterLayout';
import { encodeDispatches } from '../src/train/gpuDispatch';
import { createGpuTrainer } from '../src/train/gpuTrainer';
import { createDawnDevice, swiftShaderEnv } from '../src/train/node/dawnDevice';
import { createTrainerKernels } from '../src/train/trainerKernels';
import { createTrainingProgram } from '../src/train/trainingProgram';
import { isMainModule } from './cli/isMainModule';

const config: ModelConfig = {
  vocabSize: 147,
  seqLen: 16,
  dModel: 64,
  heads: 4,
  layers: 4,
  ffn: 256,
  timeConditioning: true,
  causal: false,
  layerNormEps: LAYER_NORM_EPS,
};
const BATCH = 64;
const schedule = { peak: 1e-3, warmupSteps: 10, totalSteps: 1000, floor: 1e-4 };

function batches(count: number): TrainingBatch[] {
  const rng = new Rng(2);
  const out: TrainingBatch[] = [];
  for (let i = 0; i < count; i++) {
    const x0 = new Int32Array(BATCH * config.seqLen);
    for (let j = 0; j < x0.length; j++) x0[j] = 3 + rng.int(config.vocabSize - 3);
    out.push(maskedDiffusionBatch(x0, BATCH, config.seqLen, { maskId: 0, rng, weighting: 'elbo' }));
  }
  return out;
}

async function measureGpu(steps: number, profile: boolean): Promise<void> {
  const layout = buildParameterLayout(config);
  const params = initParameters(layout, 1, (n) => new Float32Array(n));
  const dawn = await createDawnDevice();
  const { device } = dawn;
  const kernels = await createTrainerKernels(device);
  const trainer = await createGpuTrainer(device, layout, params, {
    batch: BATCH,
    kernels,
    lossReadEvery: 10,
  });
  const data = batches(steps + 3);
  for (let i = 0; i < 3; i++) trainer.step(data[i], 1e-3);
  await trainer.readLoss();
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 3; i < data.length; i++) {
    trainer.step(data[i], 1e-3);
    await trainer.throttle(2);
  }
  const records = await trainer.readLoss();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuStart);
  const cpuPerStep = (used.user + used.system) / 1000 / steps;
  const perSecond = steps / seconds;
  console.log(
    `GPU (${dawn.adapter}): ${perSecond.toFixed(2)} steps/s, ` +
      `${((perSecond * BATCH * config.seqLen) / 1000).toFixed(1)}k tokens/s, ` +
      `${cpuPerStep.toFixed(0)} ms CPU per step (all threads), ` +
      `${trainer.dispatchesPerStep} dispatches/step, loss ${records[0].loss.toFixed(3)} → ` +
      `${records[records.length - 1].loss.toFixed(3)}`,
  );
  trainer.destroy();
  if (profile) await profileDispatches(device, kernels, data[0]);
  kernels.destroy();
  dawn.close();
}

/** GPU time per dispatch kind: each dispatch submitted alone and waited for. */
async function profileDispatches(
  device: GPUDevice,
  kernels: Awaited<ReturnType<typeof createTrainerKernels>>,
  batch: TrainingBatch,
): Promise<void> {
  const layout = buildParameterLayout(config);
  const program = createTrainingProgram(device, kernels, layout, BATCH, config.seqLen, 1);
  device.queue.writeBuffer(
    program.buffers.params,
    0,
    initParameters(layout, 1, (n) => new Float32Array(n)),
  );
  program.uploadBatch(batch);
  const all = [...program.forward, ...program.loss, ...program.backward, ...program.update];
  const byKind = new Map<string, { ms: number; count: number }>();
  for (let repeat = 0; repeat < 2; repeat++) {
    for (const d of all) {
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginComputePass();
      encodeDispatches(pass, [d]);
      pass.end();
      const start = process.cpuUsage();
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
      if (repeat === 0) continue; // the first round warms caches
      const kind = d.label.replace(/^layers\.\d+ /, '');
      const entry = byKind.get(kind) ?? { ms: 0, count: 0 };
      const used = process.cpuUsage(start);
      entry.ms += (used.user + used.system) / 1000;
      entry.count++;
      byKind.set(kind, entry);
    }
  }
  const rows = [...byKind.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, e]) => s + e.ms, 0);
  console.log(
    `profile, CPU time of each dispatch run alone (sum ${total.toFixed(1)} ms per step):`,
  );
  for (const [kind, e] of rows) {
    console.log(`  ${e.ms.toFixed(2).padStart(8)} ms  ×${e.count}  ${kind}`);
  }
  program.destroy();
}

function measureCpu(steps: number): void {
  const layout = buildParameterLayout(config);
  const params = initParameters(layout, 1, (n) => new Float32Array(n));
  const state = createAdamWState(layout.total);
  const decay = weightDecayMask(layout);
  const workspace: CpuTrainerWorkspace<Float32Array> = {};
  const data = batches(steps + 1);
  const run = (b: TrainingBatch) => {
    const { grads } = computeGradients(layout, params, b, workspace);
    applyUpdate(params, grads, state, decay, DEFAULT_ADAMW, schedule);
  };
  run(data[0]);
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  for (let i = 1; i < data.length; i++) run(data[i]);
  const perSecond = steps / ((performance.now() - start) / 1000);
  const used = process.cpuUsage(cpuStart);
  console.log(
    `CPU reference (float32, one thread): ${perSecond.toFixed(2)} steps/s, ` +
      `${((perSecond * BATCH * config.seqLen) / 1000).toFixed(1)}k tokens/s, ` +
      `${((used.user + used.system) / 1000 / steps).toFixed(0)} ms CPU per step`,
  );
}

async function main(argv: string[]): Promise<void> {
  const steps = Number(argv[argv.indexOf('--steps') + 1] || 20);
  if (argv.includes('--steps') && !(Number.isInteger(steps) && steps > 0)) {
    throw new Error('--steps takes a positive integer');
  }
  const native = argv.includes('--native');
  if (!native && !process.env.VK_ICD_FILENAMES) {
    // The dynamic loader reads LD_LIBRARY_PATH at start only: re-run on SwiftShader.
    const self = fileURLToPath(import.meta.url);
    const result = spawnSync(process.execPath, ['--import', 'tsx', self, ...argv], {
      env: swiftShaderEnv(),
      stdio: 'inherit',
    });
    process.exit(result.status ?? 1);
  }
  console.log(
    `model V=${config.vocabSize} L=${config.seqLen} d=${config.dModel} heads=${config.heads} ` +
      `layers=${config.layers} ffn=${config.ffn}, batch ${BATCH}, ${steps} timed steps`,
  );
  await measureGpu(steps, argv.includes('--profile'));
  measureCpu(Math.min(steps, 10));
}

if (isMainModule(import.meta.url)) await main(process.argv.slice(2));

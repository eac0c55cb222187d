/**
 * `node --import tsx src/train/node/trainerParity.ts` (on SwiftShader: see runGpuScript.ts).
 * The whole trainer against the CPU reference, for a time-conditioned bidirectional network
 * trained on masked-diffusion batches ('elbo' weights) and a causal one trained on next-token
 * batches ('mean' weights), V = 11, seqLen = 6, d = 8, 2 heads, 2 layers, ffn = 16, batch 3:
 *
 *   - logits, loss, each row's share of the loss and every parameter's gradient of one
 *     forward/backward, against float64, with each of the three matmul variants;
 *   - the parameters and AdamW moments after one full step, against computeGradients +
 *     applyUpdate in float64;
 *   - 20 seeded steps: the GPU loss curve and the per-row losses read back with it against the
 *     CPU trainer (float32) on the same batches;
 *   - the same step from the same state twice: bit-identical results.
 *
 * Prints one JSON line; gpuTrainer.test.ts asserts it.
 */
import { Rng } from '../../core/rng';
import { createAdamWState, DEFAULT_ADAMW, globalNorm, weightDecayMask } from '../../model/adamw';
import { LAYER_NORM_EPS, type ModelConfig } from '../../model/config';
import {
  applyUpdate,
  computeGradients,
  maskedDiffusionBatch,
  nextTokenBatch,
  type TrainingBatch,
} from '../../model/cpuTrainer';
import { forward } from '../../model/forward';
import { initParameters } from '../../model/init';
import { learningRateAt, type LrSchedule } from '../../model/lrSchedule';
import { buildParameterLayout, type ParameterLayout } from '../../model/parameterLayout';
import { randomParameters } from '../../model/testNetworks';
import { createGpuTrainer } from '../gpuTrainer';
import { createTrainerKernels, type TrainerKernels } from '../trainerKernels';
import { STATS_HEADER } from '../trainingBuffers';
import { createTrainingProgram } from '../trainingProgram';
import { createDawnDevice } from './dawnDevice';
import { type Check, compare, downloadBuffer } from './gpuTestKit';

const BATCH = 3;
const MASK_ID = 0;

interface Variant {
  name: string;
  config: ModelConfig;
  makeBatch(x0: Int32Array, rng: Rng): TrainingBatch;
}

const base: ModelConfig = {
  vocabSize: 11,
  seqLen: 6,
  dModel: 8,
  heads: 2,
  layers: 2,
  ffn: 16,
  timeConditioning: true,
  causal: false,
  layerNormEps: LAYER_NORM_EPS,
};

const variants: Variant[] = [
  {
    name: 'masked diffusion',
    config: base,
    makeBatch: (x0, rng) =>
      maskedDiffusionBatch(x0, BATCH, base.seqLen, { maskId: MASK_ID, rng, weighting: 'elbo' }),
  },
  {
    name: 'causal next-token',
    config: { ...base, timeConditioning: false, causal: true },
    makeBatch: (x0) => nextTokenBatch(x0, BATCH, base.seqLen),
  },
];

/** Windows drawn from four fixed "sentences", so a few steps visibly lower the loss. */
function windows(rng: Rng, vocab: number, seqLen: number): Int32Array {
  const sentences = [
    [3, 4, 5, 6, 7, 8],
    [9, 10, 3, 4, 5, 6],
    [5, 5, 7, 7, 9, 9],
    [10, 8, 6, 4, 3, 2],
  ];
  const x0 = new Int32Array(BATCH * seqLen);
  for (let b = 0; b < BATCH; b++) {
    const s = sentences[rng.int(sentences.length)];
    for (let i = 0; i < seqLen; i++) x0[b * seqLen + i] = s[i] % vocab;
  }
  return x0;
}

/**
 * The key bias gets an exactly zero gradient: it adds q·bk to every score of a query row, and
 * softmax ignores a shift shared by all keys. Both references then hold rounding noise
 * (float64 ~1e-17, float32 ~1e-8), which Adam's first steps turn into ±lr moves of random sign.
 * Its gradient is held to the scale of the whole gradient, and its updates are not compared.
 */
const isKeyBias = (name: string) => name.endsWith('.attn.bk');

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** One check per parameter tensor, named `${prefix} ${tensor}`. */
function perTensor(
  layout: ParameterLayout,
  prefix: string,
  gpu: Float32Array,
  ref: ArrayLike<number>,
  keyBias: 'global scale' | 'skip',
): Check[] {
  const global = maxAbs(ref);
  const checks: Check[] = [];
  for (const spec of layout.specs) {
    const zero = isKeyBias(spec.name);
    if (zero && keyBias === 'skip') continue;
    checks.push(
      compare(
        `${prefix} ${spec.name}`,
        gpu.subarray(spec.offset, spec.offset + spec.size),
        Array.prototype.slice.call(ref, spec.offset, spec.offset + spec.size) as number[],
        zero ? global : 0,
      ),
    );
  }
  return checks;
}

/** The largest per-tensor error over the tensors whose updates are comparable. */
function worstTensor(layout: ParameterLayout, name: string, gpu: Float32Array, ref: Float32Array) {
  const checks = perTensor(layout, name, gpu, ref, 'skip');
  return checks.reduce((a, b) => (b.relError > a.relError ? b : a));
}

/** A batch with at least one loss position (a masked-diffusion row may mask nothing). */
function nonEmptyBatch(v: Variant, rng: Rng): TrainingBatch {
  for (;;) {
    const b = v.makeBatch(windows(rng, v.config.vocabSize, v.config.seqLen), rng);
    if (b.lossPositions >= 3) return b;
  }
}

async function gradientChecks(
  device: GPUDevice,
  kernels: TrainerKernels,
  v: Variant,
  tag = v.name,
): Promise<Check[]> {
  const layout = buildParameterLayout(v.config);
  const params = randomParameters(layout, 11, (n) => new Float32Array(n));
  const rng = new Rng(5);
  const batch = nonEmptyBatch(v, rng);
  const program = createTrainingProgram(
    device,
    kernels,
    layout,
    BATCH,
    v.config.seqLen,
    DEFAULT_ADAMW.maxGradNorm,
  );
  device.queue.writeBuffer(program.buffers.params, 0, params);
  program.uploadBatch(batch);
  const encoder = device.createCommandEncoder();
  program.encode(encoder, [program.forward, program.loss, program.backward]);
  device.queue.submit([encoder.finish()]);
  const rows = BATCH * v.config.seqLen;
  const logits = await downloadBuffer(device, program.buffers.logits, rows * v.config.vocabSize);
  const grads = await downloadBuffer(device, program.buffers.grads, layout.total);
  const stats = await downloadBuffer(device, program.buffers.stats, STATS_HEADER + BATCH);
  program.destroy();

  const p64 = Float64Array.from(params);
  const ref = computeGradients(layout, p64, batch);
  const refLogits = forward(layout, p64, {
    tokens: batch.tokens,
    batch: BATCH,
    length: v.config.seqLen,
    t: batch.t ?? undefined,
  }).logits;
  return [
    compare(`${tag}: logits`, logits, refLogits),
    compare(`${tag}: loss`, [stats[0]], [ref.loss]),
    compare(`${tag}: gradient norm`, [stats[1]], [globalNorm(ref.grads)]),
    compare(`${tag}: loss of each row`, stats.subarray(STATS_HEADER), ref.rowLoss),
    ...perTensor(layout, `${tag}: gradient of`, grads, ref.grads, 'global scale'),
  ];
}

async function oneStepChecks(
  device: GPUDevice,
  kernels: TrainerKernels,
  v: Variant,
): Promise<Check[]> {
  const layout = buildParameterLayout(v.config);
  const params = randomParameters(layout, 12, (n) => new Float32Array(n));
  const schedule: LrSchedule = { peak: 3e-3, warmupSteps: 2, totalSteps: 10, floor: 1e-4 };
  const batch = nonEmptyBatch(v, new Rng(6));
  const trainer = await createGpuTrainer(device, layout, params, { batch: BATCH, kernels });
  trainer.step(batch, learningRateAt(0, schedule));
  const gpuParams = await trainer.readParams();
  const gpuState = await trainer.readOptimizerState();
  const [record] = await trainer.readLoss();
  trainer.destroy();

  const p64 = Float64Array.from(params);
  const state = createAdamWState(layout.total);
  const { loss, grads, rowLoss } = computeGradients(layout, p64, batch);
  const update = applyUpdate(p64, grads, state, weightDecayMask(layout), DEFAULT_ADAMW, schedule);
  return [
    compare(`${v.name} step: loss record`, [record.loss], [loss]),
    compare(`${v.name} step: row losses of the record`, record.rowLoss, rowLoss),
    compare(`${v.name} step: clip factor`, [record.clipScale], [update.clipScale]),
    ...perTensor(layout, `${v.name} step: AdamW m of`, gpuState.m, state.m, 'global scale'),
    ...perTensor(layout, `${v.name} step: AdamW v of`, gpuState.v, state.v, 'global scale'),
    ...perTensor(layout, `${v.name} step: updated`, gpuParams, p64, 'skip'),
  ];
}

export interface CurveResult {
  variant: string;
  gpu: number[];
  cpu: number[];
  maxRelError: number;
  /** The largest |GPU − CPU| of a row's loss over the 20 steps, relative to that step's loss. */
  rowLossMaxRelError: number;
  steps: number[];
  lrMatches: boolean;
  finalParams: Check;
  stagingBuffers: number;
  bitIdenticalRepeat: boolean;
}

/** What this script prints (one JSON line), read by gpuTrainer.test.ts. */
export interface TrainerReport {
  adapter: string;
  dispatchesPerStep: number;
  /** Split-K sums in the backward pass of the base network with the split-K kernels. */
  splitKSums: number;
  checks: Check[];
  curves: CurveResult[];
}

async function lossCurve(
  device: GPUDevice,
  kernels: TrainerKernels,
  v: Variant,
): Promise<CurveResult> {
  const layout = buildParameterLayout(v.config);
  const init = initParameters(layout, 3, (n) => new Float32Array(n));
  const schedule: LrSchedule = { peak: 2e-2, warmupSteps: 3, totalSteps: 20, floor: 2e-3 };
  const trainer = await createGpuTrainer(device, layout, init, {
    batch: BATCH,
    kernels,
    lossReadEvery: 3,
  });
  const cpuParams = init.slice();
  const state = createAdamWState(layout.total);
  const decay = weightDecayMask(layout);
  const rng = new Rng(42);
  const cpu: number[] = [];
  const cpuRows: Float64Array[] = [];
  const lrs: number[] = [];
  let lastBatch: TrainingBatch | null = null;
  for (let s = 0; s < 20; s++) {
    const batch = nonEmptyBatch(v, rng);
    lastBatch = batch;
    const lr = learningRateAt(trainer.stepCount, schedule);
    lrs.push(lr);
    trainer.step(batch, lr);
    await trainer.throttle(2);
    const { loss, grads, rowLoss } = computeGradients(layout, cpuParams, batch);
    cpu.push(loss);
    cpuRows.push(rowLoss);
    applyUpdate(cpuParams, grads, state, decay, DEFAULT_ADAMW, schedule);
  }
  const records = await trainer.readLoss();
  const gpuParams = await trainer.readParams();

  // Determinism: the same step from the same state, twice, gives the same bits.
  const saved = { params: gpuParams, optimizer: await trainer.readOptimizerState() };
  const repeat: Float32Array[] = [];
  for (let r = 0; r < 2; r++) {
    trainer.loadState(saved);
    trainer.step(lastBatch!, 1e-3);
    repeat.push(await trainer.readParams());
  }
  await trainer.readLoss();
  const stagingBuffers = trainer.stagingBuffers;
  trainer.destroy();

  const gpu = records.map((r) => r.loss);
  let maxRelError = 0;
  let rowLossMaxRelError = 0;
  for (let s = 0; s < cpu.length; s++) {
    maxRelError = Math.max(maxRelError, Math.abs(gpu[s] - cpu[s]) / Math.abs(cpu[s]));
    records[s].rowLoss.forEach((x, b) => {
      const error = Math.abs(x - cpuRows[s][b]) / Math.abs(cpu[s]);
      rowLossMaxRelError = Math.max(rowLossMaxRelError, error);
    });
  }
  return {
    variant: v.name,
    gpu,
    cpu,
    maxRelError,
    rowLossMaxRelError,
    steps: records.map((r) => r.step),
    lrMatches: records.every((r, i) => r.lr === lrs[i]),
    finalParams: worstTensor(layout, `${v.name}: after 20 steps`, gpuParams, cpuParams),
    stagingBuffers,
    bitIdenticalRepeat: repeat[0].every((x, i) => Object.is(x, repeat[1][i])),
  };
}

async function main(): Promise<void> {
  const start = performance.now();
  const dawn = await createDawnDevice();
  const { device } = dawn;
  // The variant a software adapter gets by default (SwiftShader has 4-wide subgroups: 'shared');
  // the plain register one and the tiled one are checked on gradients too.
  const kernels = await createTrainerKernels(device, { matmul: 'shared' });
  const registers = await createTrainerKernels(device, { matmul: 'registers' });
  const tiled = await createTrainerKernels(device, { matmul: 'tiled' });
  // Chunks short enough that this small batch's weight gradients are split along k.
  const splitK = await createTrainerKernels(device, {
    matmul: 'tiled',
    splitK: { minChunk: 4, maxSplits: 4, maxTiles: 1000 },
  });
  console.error(`device and kernels: ${(performance.now() - start).toFixed(0)} ms`);
  const checks: Check[] = [];
  const curves: CurveResult[] = [];
  const timed = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const start = performance.now();
    const result = await run();
    console.error(`${label}: ${(performance.now() - start).toFixed(0)} ms`);
    return result;
  };
  for (const v of variants) {
    checks.push(...(await timed(`${v.name} gradients`, () => gradientChecks(device, kernels, v))));
    checks.push(...(await timed(`${v.name} one step`, () => oneStepChecks(device, kernels, v))));
    curves.push(await timed(`${v.name} 20 steps`, () => lossCurve(device, kernels, v)));
    for (const [other, name] of [
      [registers, 'registers'],
      [tiled, 'tiled'],
      [splitK, 'tiled split-K'],
    ] as const) {
      const tag = `${v.name} (${name} matmul)`;
      checks.push(...(await timed(tag, () => gradientChecks(device, other, v, tag))));
    }
  }
  const splitProgram = createTrainingProgram(
    device,
    splitK,
    buildParameterLayout(base),
    BATCH,
    base.seqLen,
    DEFAULT_ADAMW.maxGradNorm,
  );
  const splitKSums = splitProgram.backward.filter((d) => d.label.includes('split-K sum')).length;
  splitProgram.destroy();
  registers.destroy();
  tiled.destroy();
  splitK.destroy();
  const layout = buildParameterLayout(base);
  const probe = await createGpuTrainer(device, layout, new Float32Array(layout.total), {
    batch: BATCH,
    kernels,
  });
  const dispatchesPerStep = probe.dispatchesPerStep;
  probe.destroy();
  kernels.destroy();
  dawn.close();
  const report: TrainerReport = {
    adapter: dawn.adapter,
    dispatchesPerStep,
    splitKSums,
    checks,
    curves,
  };
  console.log(JSON.stringify(report));
}

await main();

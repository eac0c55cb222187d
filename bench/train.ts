/**
 * `bench -- train` (issue 6, item 8): training speed in one headless Chromium, on one model, one
 * batch size and one sequence of batches, against a Vite server this bench starts on a free
 * port and stops at the end (bench/pages/trainBenchPage.ts is the page; with `--host node`,
 * the same bench runs in Node on Dawn, for a machine with a GPU and no browser):
 *   - steps/s of our WebGPU trainer (src/train), of our CPU reference (src/model), and of the
 *     TensorFlow.js twin of the network (bench/tfjsTrainer.ts) on each of its backends; each
 *     trainer's first loss is checked against the CPU reference's before its speed counts;
 *   - the speedup of our WebGPU trainer over the fastest TensorFlow.js backend (target ≥ 3);
 *   - GFLOP/s of our matmul kernel against TensorFlow.js-WebGPU's matMul at the step's shapes.
 * Figures are medians over rounds, after warm-up; a software adapter (SwiftShader) is labelled.
 */
import path from 'node:path';
import { resolveArgs, withOption } from '../scripts/cli/args';
import { runNodeChild } from '../scripts/lib/swiftShaderRerun';
import { MODEL_PRESETS, DEFAULT_SETTINGS, type ModelPreset } from '../src/train/trainingProtocol';
import type { BenchDefinition, BenchIo } from './benchCommand';
import { benchLineSplitter, type BenchContext } from './benchLine';
import { parseChoiceList } from './listOption';
import { describeNodeMachine } from './machine';
import type {
  JaxDevice,
  MatmulShape,
  TfjsBackend,
  TimingRequest,
  TrainBenchInfo,
  TrainerTiming,
} from './pages/trainBenchApi';
import { summarize } from './stats';
import { lossSummary, lossTracking } from './trainTiming';
import { matmulFlops, stepsPerSecondAtCeiling, trainingStepFlops } from './trainFlops';
import { openBrowserSession, openNodeSession, type TrainBenchSession } from './trainBenchHosts';
import { grammaticalRecipe, type GrammaticalTrainer, runGrammatical } from './trainGrammatical';
import type { ServerMode } from './viteServer';

const TFJS_BACKENDS = ['webgpu', 'wasm', 'cpu'] as const;
const JAX_DEVICES = ['webgpu', 'wasm', 'cpu'] as const;
const PARTS = ['ceiling', 'trainers', 'run', 'matmul', 'grammatical'] as const;
/** 'grammatical' trains the panel's default run to the target (minutes): only on request. */
const DEFAULT_PARTS = ['ceiling', 'trainers', 'matmul'] as const;
/** Accumulators per invocation of the ceiling kernel; the best median is the ceiling. */
const CEILING_ACCUMULATORS = [8, 16, 32];
export const SPEEDUP_TARGET = 3;
/** Relative difference allowed between a trainer's first loss and the CPU reference's. */
export const LOSS_PARITY_TOLERANCE = 1e-4;
/** Relative difference allowed between a trainer's losses and the CPU reference's, step by step. */
export const LOSS_TRACKING_TOLERANCE = 1e-3;

const command = {
  name: 'bench train',
  summary:
    'steps/s of our WebGPU trainer vs TensorFlow.js (webgpu, wasm, cpu) and our CPU reference',
  options: {
    preset: {
      type: 'string',
      description: 'model size of the Train panel',
      choices: Object.keys(MODEL_PRESETS),
      default: 'toy',
    },
    batch: { type: 'integer', description: 'windows per step', min: 1, default: 32 },
    steps: {
      type: 'integer',
      description: 'most timed steps per trainer (fewer when the budget runs out)',
      min: 1,
      default: 24,
    },
    rounds: {
      type: 'integer',
      description: 'rounds the timed steps are split into (the figure is their median)',
      min: 1,
      default: 3,
    },
    warmup: { type: 'integer', description: 'untimed steps per trainer', min: 1, default: 2 },
    budget: {
      type: 'number',
      description: 'seconds of timed steps per trainer, at its warm-up speed',
      min: 1,
      default: 40,
    },
    minSteps: {
      type: 'integer',
      description: 'fewest timed steps per trainer, whatever the budget',
      min: 1,
      default: 2,
    },
    tfjs: {
      type: 'string',
      description: `TensorFlow.js backends, comma-separated: ${TFJS_BACKENDS.join(', ')}`,
      default: TFJS_BACKENDS.join(','),
    },
    jax: {
      type: 'string',
      // Its cpu device interprets JavaScript ("only meant for debugging"): one step of batch
      // 32 ran for over 7 minutes here, so it is measured only when asked for.
      description: `jax-js devices, comma-separated: ${JAX_DEVICES.join(', ')} (empty: none)`,
      default: 'webgpu,wasm',
    },
    parts: {
      type: 'string',
      description: `what to measure, comma-separated: ${PARTS.join(', ')}`,
      default: DEFAULT_PARTS.join(','),
    },
    trainer: {
      type: 'string',
      description:
        "grammatical: the trainer the panel's run uses ('cpu': what the panel picks with no hardware WebGPU adapter; 'webgpu': ours on Dawn, for a GPU machine)",
      choices: ['cpu', 'webgpu'],
      default: 'cpu',
    },
    grammaticalPreset: {
      type: 'string',
      description: "grammatical: override the panel default's model size (experiments only)",
      choices: Object.keys(MODEL_PRESETS),
    },
    grammaticalBatch: {
      type: 'integer',
      description: "grammatical: override the panel default's batch (experiments only)",
      min: 1,
    },
    grammaticalLr: {
      type: 'number',
      description:
        "grammatical: override the panel default's peak learning rate (experiments only)",
      min: 1e-6,
      max: 1,
    },
    grammaticalSteps: {
      type: 'integer',
      description:
        "grammatical: override the panel default's steps, which also size its schedule (experiments only)",
      min: 1,
    },
    evalEvery: {
      type: 'integer',
      description: 'grammatical: steps between validity measurements',
      min: 1,
      default: 200,
    },
    evalSamples: {
      type: 'integer',
      description: 'grammatical: samples per validity measurement (the same seeds each time)',
      min: 1,
      default: 200,
    },
    target: {
      type: 'number',
      description: 'grammatical: the fraction of grammatical samples to reach',
      min: 0,
      max: 1,
      default: 0.8,
    },
    out: {
      type: 'string',
      description: 'grammatical: folder for the trained package (default: none written)',
    },
    runSteps: {
      type: 'integer',
      description: 'run: steps of the whole Train-panel run (timed with and without sample pacing)',
      min: 1,
      default: 300,
    },
    matmulReps: {
      type: 'integer',
      description: 'products per timed submission in the matmul part',
      min: 1,
      default: 3,
    },
    matmulRounds: {
      type: 'integer',
      description: 'timed rounds per matmul shape',
      min: 1,
      default: 2,
    },
    matmul: {
      type: 'string',
      description: "our matmul variant; 'auto' is the device's default (trainerKernels.ts)",
      choices: ['auto', 'tiled', 'registers', 'shared'],
      default: 'auto',
    },
    splitK: {
      type: 'string',
      description:
        "'on': the tiled (GPU) matmul splits weight gradients along k where the output is small; 'off': never",
      choices: ['on', 'off'],
      default: 'on',
    },
    lr: { type: 'number', description: 'constant learning rate', default: DEFAULT_SETTINGS.lr },
    seed: { type: 'integer', description: 'seed of the weights, data and masks', default: 1 },
    server: {
      type: 'string',
      description: "browser host: 'dev' (vite) or 'preview' (vite build + vite preview)",
      choices: ['dev', 'preview'],
      default: 'dev',
    },
    host: {
      type: 'string',
      description:
        "where the trainers run: 'browser' (headless Chromium) or 'node' (Dawn, the webgpu package: a machine with a GPU and no browser)",
      choices: ['browser', 'node'],
      default: 'browser',
    },
    gpuAdapter: {
      type: 'string',
      description:
        "node host and grammatical with --trainer webgpu: 'swiftshader' (a child process on Chromium's software Vulkan) or 'native' (the adapter Dawn finds through the machine's Vulkan driver)",
      choices: ['swiftshader', 'native'],
      default: 'swiftshader',
    },
  },
} as const;

const SOFTWARE_NOTE =
  'software WebGPU adapter (SwiftShader): measured, not representative of a GPU';

/** The dense products of a step, forward and backward (transposed operands as in src/train). */
export function matmulShapes(info: TrainBenchInfo): MatmulShape[] {
  const rows = info.batch * info.length;
  const { dModel: d, ffn: f, vocabSize: V } = info.config;
  const plain = { transposeA: false, transposeB: false };
  return [
    { label: 'mlp w1 (X·W)', m: rows, n: f, k: d, ...plain },
    { label: 'mlp w2 (X·W)', m: rows, n: d, k: f, ...plain },
    { label: 'head (X·W)', m: rows, n: V, k: d, ...plain },
    { label: 'mlp w1 input grad (dY·Wᵀ)', m: rows, n: d, k: f, ...plain, transposeB: true },
    { label: 'mlp w1 weight grad (Xᵀ·dY)', m: d, n: f, k: rows, ...plain, transposeA: true },
  ];
}

interface Trainer {
  trainer: 'unmask' | 'tensorflow.js' | 'jax-js';
  backend: string;
  describe: string;
  time(request: TimingRequest): Promise<TrainerTiming>;
}

/**
 * Runs the bench. 'cli' is `npm run bench` under tsx, where `--host node` bundles the bench and
 * runs the bundle in a child process (nodeTrainBundle.ts says why); 'in-process' is that bundle.
 */
export async function runTrainBench(
  argv: readonly string[],
  io: BenchIo,
  mode: 'cli' | 'in-process' = 'cli',
): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const o = args.options;
  let tfjsBackends: TfjsBackend[];
  let jaxDevices: JaxDevice[];
  let parts: (typeof PARTS)[number][];
  try {
    tfjsBackends = parseChoiceList('--tfjs', o.tfjs, TFJS_BACKENDS);
    jaxDevices = o.jax === '' ? [] : parseChoiceList('--jax', o.jax, JAX_DEVICES);
    parts = parseChoiceList('--parts', o.parts, PARTS);
  } catch (e) {
    io.stderr(`bench train: ${(e as Error).message} (see --help)\n`);
    return 2;
  }
  if (!(o.lr > 0)) {
    io.stderr(`bench train: --lr must be > 0, got ${o.lr} (see --help)\n`);
    return 2;
  }

  if (parts.includes('grammatical')) {
    if (
      o.out !== undefined &&
      path.resolve(o.out).startsWith(path.resolve(import.meta.dirname, '../models'))
    ) {
      io.stderr('bench train: --out must not be under models/ (the shipped packages)\n');
      return 2;
    }
    const onSwiftShader =
      o.trainer === 'webgpu' && mode === 'cli' && o.gpuAdapter === 'swiftshader';
    let code: number;
    if (onSwiftShader) {
      // Dawn finds SwiftShader only in a process started with its library path: the bundle.
      const { buildNodeTrainBundle, LOCAL_BUNDLE } = await import('./nodeTrainBundle');
      const bundle = await buildNodeTrainBundle(LOCAL_BUNDLE);
      const stdout = benchLineSplitter(io.stdout, io.stderr);
      code = await runNodeChild(
        [bundle, ...withOption(argv, '--parts', 'grammatical')],
        'swiftshader',
        { stdout: stdout.write, stderr: io.stderr },
        'bench',
      );
      stdout.flush();
    } else {
      let recipe;
      try {
        recipe = grammaticalRecipe({
          preset: o.grammaticalPreset as ModelPreset | undefined,
          batch: o.grammaticalBatch,
          lr: o.grammaticalLr,
          steps: o.grammaticalSteps,
        });
      } catch (e) {
        io.stderr(`bench train: ${(e as Error).message} (see --help)\n`);
        return 2;
      }
      code = await runGrammatical(
        {
          recipe,
          trainer: o.trainer as GrammaticalTrainer,
          evalEvery: o.evalEvery,
          evalSamples: o.evalSamples,
          target: o.target,
          out: o.out,
        },
        io,
        { machine: { ...describeNodeMachine() } },
      );
    }
    if (code !== 0) return code;
    parts = parts.filter((p) => p !== 'grammatical');
    if (parts.length === 0) return 0;
  }

  // The bundle is the Node host whatever --host says: it holds no browser host to start.
  const host = mode === 'in-process' ? 'node' : o.host;
  if (host === 'node' && mode === 'cli') {
    io.progress('train: bundling the bench for Node…\n');
    const { buildNodeTrainBundle, LOCAL_BUNDLE } = await import('./nodeTrainBundle');
    const bundle = await buildNodeTrainBundle(LOCAL_BUNDLE);
    // Dawn finds SwiftShader only in a process started with its library path.
    const stdout = benchLineSplitter(io.stdout, io.stderr);
    // The grammatical part, if asked for, has run here already.
    const code = await runNodeChild(
      [bundle, ...withOption(argv, '--parts', parts.join(','))],
      o.gpuAdapter as 'swiftshader' | 'native',
      { stdout: stdout.write, stderr: io.stderr },
      'bench',
    );
    stdout.flush();
    return code;
  }
  let session: TrainBenchSession | null = null;
  try {
    session =
      host === 'node'
        ? await openNodeSession()
        : await openBrowserSession(o.server as ServerMode, io);
    const bench = session.bench;
    io.progress(`train: drawing the batches and the reference loss…\n`);
    const info = await bench.prepare({
      preset: o.preset,
      batch: o.batch,
      seed: o.seed,
      lr: o.lr,
      batches: o.warmup + o.steps,
      matmul: o.matmul as 'auto' | 'tiled' | 'registers' | 'shared',
      splitK: o.splitK === 'on',
    });
    const flops = trainingStepFlops(info.config, info.batch, info.length);
    const software = info.adapter?.software === true;
    const context: BenchContext = {
      preset: o.preset,
      batch: info.batch,
      length: info.length,
      parameters: info.parameters,
      stepGflop: flops.total / 1e9,
      adapter: info.adapter ? info.adapter.description || info.adapter.vendor : null,
      host: session.host,
      browser: session.browser,
      crossOriginIsolated: info.crossOriginIsolated,
      hardwareConcurrency: info.hardwareConcurrency,
      server: session.browser ? o.server : undefined,
      machine: { ...describeNodeMachine() },
    };
    const request: TimingRequest = {
      warmup: o.warmup,
      maxSteps: o.steps,
      rounds: o.rounds,
      budgetMs: o.budget * 1000,
      minSteps: o.minSteps,
    };

    // The adapter's multiply-add ceiling (GFLOP/s), measured before the trainers so the
    // speedup line can say what any trainer could reach on this adapter.
    let ceiling: number | null = null;
    if (parts.includes('ceiling') && info.adapter) {
      io.progress("train: the adapter's multiply-add ceiling…\n");
      const timings = await bench.timeCeiling({
        accumulators: CEILING_ACCUMULATORS,
        rounds: o.matmulRounds,
      });
      const byAccumulators = timings.map((t) => ({
        accumulators: t.accumulators,
        gflops: summarize(t.gflops).median,
      }));
      ceiling = Math.max(...byAccumulators.map((t) => t.gflops));
      io.emit({
        bench: 'train',
        metric: 'multiply_add_ceiling',
        value: ceiling,
        unit: 'GFLOP/s',
        how: 'a kernel of register multiply-adds only (bench/pages/multiplyAddCeiling.ts), best median over accumulator counts',
        byAccumulators,
        ceilingStepsPerSecond: stepsPerSecondAtCeiling(ceiling, flops.total),
        backend: 'webgpu',
        note: software ? SOFTWARE_NOTE : undefined,
        ...context,
      });
    }

    if (parts.includes('trainers')) {
      const trainers: Trainer[] = [];
      if (info.adapter) {
        trainers.push({
          trainer: 'unmask',
          backend: 'webgpu',
          describe: 'our WebGPU trainer (src/train/gpuTrainer.ts)',
          time: (r) => bench.timeGpuTrainer(r),
        });
      } else {
        io.progress('train: the host has no WebGPU adapter: skipping the WebGPU trainers\n');
      }
      trainers.push({
        trainer: 'unmask',
        backend: 'cpu',
        describe: 'our CPU reference (src/model/cpuTrainer.ts)',
        time: (r) => bench.timeCpuReference(r),
      });
      for (const backend of tfjsBackends) {
        if (backend === 'webgpu' && !info.adapter) continue;
        trainers.push({
          trainer: 'tensorflow.js',
          backend,
          describe: `TensorFlow.js on its ${backend} backend (bench/tfjsTrainer.ts)`,
          time: (r) => bench.timeTfjs(backend, r),
        });
      }
      for (const device of jaxDevices) {
        if (device === 'webgpu' && !info.adapter) continue;
        trainers.push({
          trainer: 'jax-js',
          backend: device,
          describe: `jax-js on its ${device} device (bench/jaxTrainer.ts)`,
          time: (r) => bench.timeJax(device, r),
        });
      }
      const rates = new Map<string, number>();
      const lossRuns: { trainer: Trainer; losses: number[] }[] = [];
      for (const t of trainers) {
        io.progress(`train: ${t.describe}…\n`);
        const timing = await t.time(request);
        const line: BenchContext = {
          trainer: t.trainer,
          backend: t.backend,
          note: t.backend === 'webgpu' && software ? SOFTWARE_NOTE : undefined,
          ...timing.details,
          ...context,
        };
        const parity = Math.abs(timing.parityLoss - info.referenceLoss) / info.referenceLoss;
        const parityMet = parity <= LOSS_PARITY_TOLERANCE;
        io.emit({
          bench: 'train',
          metric: 'loss_parity',
          value: parity,
          unit: 'relative difference',
          target: `<= ${LOSS_PARITY_TOLERANCE}`,
          met: parityMet,
          loss: timing.parityLoss,
          referenceLoss: info.referenceLoss,
          how: "first step's loss (batch 0, initial weights) against the CPU reference's",
          ...line,
        });
        if (!parityMet) {
          throw new Error(
            `${t.describe} computes loss ${timing.parityLoss} where the CPU reference computes ` +
              `${info.referenceLoss}: a speed comparison of different work would be meaningless`,
          );
        }
        const perRound = timing.roundMs.map((ms, i) => (timing.roundSteps[i] * 1000) / ms);
        const s = summarize(perRound);
        rates.set(`${t.trainer}/${t.backend}`, s.median);
        lossRuns.push({ trainer: t, losses: timing.losses });
        io.emit({
          bench: 'train',
          metric: 'steps_per_second',
          value: s.median,
          unit: 'steps/s',
          p10: s.p10,
          p90: s.p90,
          tokensPerSecond: s.median * info.batch * info.length,
          matmulGflopPerSecond: (s.median * flops.total) / 1e9,
          stepsTimed: timing.roundSteps.reduce((a, b) => a + b, 0),
          roundSteps: timing.roundSteps,
          warmupMs: timing.warmupMs,
          ...lossSummary(timing.losses),
          ...line,
        });
      }
      const ours = rates.get('unmask/webgpu');
      /** A peer library's fastest backend here: [trainer/backend, steps/s]. */
      const fastestOf = (library: string) =>
        [...rates.entries()]
          .filter(([k]) => k.startsWith(`${library}/`))
          .reduce((best, e) => (e[1] > best[1] ? e : best), ['', -Infinity] as [string, number]);
      const [fastestKey, fastest] = fastestOf('tensorflow.js');
      // Our WebGPU trainer against each peer's fastest backend on this host (target ≥ 3×).
      for (const [against, rate] of [fastestOf('tensorflow.js'), fastestOf('jax-js')]) {
        if (ours === undefined || against === '') continue;
        const speedup = ours / rate;
        io.emit({
          bench: 'train',
          metric: 'speedup',
          value: speedup,
          unit: 'ratio of steps/s',
          target: `>= ${SPEEDUP_TARGET}`,
          met: speedup >= SPEEDUP_TARGET,
          trainer: 'unmask',
          backend: 'webgpu',
          against,
          note: software ? SOFTWARE_NOTE : undefined,
          ...context,
        });
      }
      if (ceiling !== null && fastestKey !== '') {
        // What a trainer whose step were only its matrix products, at the ceiling, would reach.
        const bound = stepsPerSecondAtCeiling(ceiling, flops.total) / fastest;
        io.emit({
          bench: 'train',
          metric: 'speedup_bound',
          value: bound,
          unit: 'ratio of steps/s',
          how: 'multiply_add_ceiling / FLOPs of a step (matrix products only), over the fastest TensorFlow.js backend: no WebGPU trainer on this adapter can exceed it',
          target: `>= ${SPEEDUP_TARGET}`,
          reachable: bound >= SPEEDUP_TARGET,
          against: fastestKey,
          backend: 'webgpu',
          note: software ? SOFTWARE_NOTE : undefined,
          ...context,
        });
      }
      const reference = lossRuns.find(
        (r) => r.trainer.trainer === 'unmask' && r.trainer.backend === 'cpu',
      );
      for (const run of reference ? lossRuns : []) {
        if (run === reference) continue;
        const tracking = lossTracking(run.losses, reference!.losses);
        io.emit({
          bench: 'train',
          metric: 'loss_tracking',
          value: tracking.maxRelativeDifference,
          unit: 'relative difference',
          target: `<= ${LOSS_TRACKING_TOLERANCE}`,
          met: tracking.maxRelativeDifference <= LOSS_TRACKING_TOLERANCE,
          steps: tracking.steps,
          worstStep: tracking.worstStep,
          how: "largest difference between the trainer's loss and the CPU reference's over the steps both took (same weights, batches and learning rate): a wrong update drifts",
          trainer: run.trainer.trainer,
          backend: run.trainer.backend,
          ...context,
        });
      }
      const cpu = rates.get('unmask/cpu');
      if (ours !== undefined && cpu !== undefined) {
        io.emit({
          bench: 'train',
          metric: 'speedup_over_cpu_reference',
          value: ours / cpu,
          unit: 'ratio of steps/s',
          trainer: 'unmask',
          backend: 'webgpu',
          against: 'unmask/cpu',
          note: software ? SOFTWARE_NOTE : undefined,
          ...context,
        });
      }
    }

    if (parts.includes('run') && info.adapter) {
      // The Train panel's loop around the trainer: its own data stream, a checkpoint and a
      // sample decode every DEFAULT_SETTINGS steps; the decodes paced (trainingRun.ts) or not.
      const rates = new Map<boolean, number>();
      const runRequest = {
        checkpointEvery: DEFAULT_SETTINGS.checkpointEvery,
        sampleEvery: DEFAULT_SETTINGS.sampleEvery,
      };
      // Untimed: the first run's first submissions and decodes warm the pipelines and the JIT.
      await bench.timeTrainingRun({ ...runRequest, steps: Math.min(20, o.runSteps), pacing: true });
      for (const pacing of [false, true]) {
        io.progress(`train: a whole Train-panel run, sample pacing ${pacing ? 'on' : 'off'}…\n`);
        const r = await bench.timeTrainingRun({ ...runRequest, steps: o.runSteps, pacing });
        const rate = (r.steps * 1000) / r.ms;
        rates.set(pacing, rate);
        io.emit({
          bench: 'train',
          metric: 'run_steps_per_second',
          value: rate,
          unit: 'steps/s',
          how: 'a whole Train-panel run (src/train/trainingRun.ts) on our WebGPU trainer, wall time, checkpoints and sample decodes included',
          trainer: 'unmask',
          backend: 'webgpu',
          samplePacing: pacing ? 'on' : 'off',
          steps: r.steps,
          seconds: r.ms / 1000,
          checkpoints: r.checkpoints,
          checkpointSeconds: r.checkpointMs / 1000,
          checkpointEvery: DEFAULT_SETTINGS.checkpointEvery,
          sampleEvery: DEFAULT_SETTINGS.sampleEvery,
          decodes: r.decodedSteps.length,
          outcome: r.outcome,
          note: software ? SOFTWARE_NOTE : undefined,
          ...context,
        });
      }
      io.emit({
        bench: 'train',
        metric: 'run_pacing_speedup',
        value: rates.get(true)! / rates.get(false)!,
        unit: 'ratio of steps/s',
        how: 'whole-run steps/s with sample pacing over without',
        trainer: 'unmask',
        backend: 'webgpu',
        note: software ? SOFTWARE_NOTE : undefined,
        ...context,
      });
    }

    if (parts.includes('matmul') && info.adapter) {
      io.progress('train: matmul kernels at the training shapes…\n');
      const shapes = matmulShapes(info);
      const timings = await bench.timeMatmul({
        shapes,
        reps: o.matmulReps,
        rounds: o.matmulRounds,
      });
      for (const [i, t] of timings.entries()) {
        const { m, n, k } = shapes[i];
        const gflop = matmulFlops(m, n, k) / 1e9;
        const ours = gflop / (summarize(t.ours).median / 1000);
        const theirs = gflop / (summarize(t.tfjs).median / 1000);
        const line: BenchContext = {
          shape: t.label,
          m,
          n,
          k,
          reps: o.matmulReps,
          rounds: o.matmulRounds,
          note: software ? SOFTWARE_NOTE : undefined,
          ...context,
        };
        io.emit({
          bench: 'train',
          metric: 'matmul_gflops',
          value: ours,
          unit: 'GFLOP/s',
          trainer: 'unmask',
          backend: 'webgpu',
          variant: t.oursVariant,
          msPerProduct: summarize(t.ours).median,
          ...line,
        });
        io.emit({
          bench: 'train',
          metric: 'matmul_gflops',
          value: theirs,
          unit: 'GFLOP/s',
          trainer: 'tensorflow.js',
          backend: 'webgpu',
          msPerProduct: summarize(t.tfjs).median,
          ...line,
        });
        io.emit({
          bench: 'train',
          metric: 'matmul_speedup',
          value: ours / theirs,
          unit: 'ratio of GFLOP/s',
          trainer: 'unmask',
          backend: 'webgpu',
          against: 'tensorflow.js/webgpu',
          ...line,
        });
      }
    }
  } finally {
    await session?.close();
  }
  return 0;
}

export const trainBench: BenchDefinition = {
  name: 'train',
  summary:
    'training steps/s in headless Chromium: our WebGPU trainer vs TensorFlow.js (webgpu, wasm, cpu), our CPU reference, matmul GFLOP/s',
  command,
  run: (argv, io) => runTrainBench(argv, io),
};

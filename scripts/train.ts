/**
 * `npm run train -- …`: trains a model package headlessly on the CPU reference (src/model),
 * data-parallel over worker threads, seeded and reproducible, and writes models/<id>/ with
 * model.onnx and manifest.json (settings, loss curve, measured sample validity).
 *
 * Reproducibility: every random draw (data, t, masks, init) comes from seeded generators on
 * the main thread, and each batch is always cut into the same number of shards whose
 * gradients are summed in shard order, so the same arguments give the same weights whatever
 * the number of worker threads.
 *
 * `--trainer webgpu` runs the same batches and learning rates through our WebGPU trainer
 * (src/train) on Dawn instead: on SwiftShader (re-run in a child process, see
 * lib/swiftShaderRerun.ts) or, with `--gpu-adapter native`, on the adapter Dawn picks. The
 * manifest's training record names the trainer.
 */
import fs from 'node:fs';
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import {
  BUILT_IN_COUPLETS,
  createCoupletCorpus,
  getCorpus,
  corpusNames,
  parseCouplets,
  type Corpus,
  type CoupletCorpus,
} from '../src/core/corpus';
import { evaluateReversal, samplerOver } from '../src/core/evaluation/reversalEvaluation';
import { Rng } from '../src/core/rng';
import { createAdamWState, DEFAULT_ADAMW, weightDecayMask } from '../src/model/adamw';
import { LAYER_NORM_EPS, type ModelConfig } from '../src/model/config';
import {
  addInto,
  applyUpdate,
  batchRows,
  computeGradients,
  maskedDiffusionBatch,
  nextTokenBatch,
  type TrainingBatch,
} from '../src/model/cpuTrainer';
import { initParameters } from '../src/model/init';
import { buildOnnxModel } from '../src/model/onnx/buildOnnxModel';
import { manifestForBuiltModel } from '../src/model/packageManifest';
import { buildParameterLayout } from '../src/model/parameterLayout';
import { OrtModel } from '../src/runtime/ortModel';
import { readOnnxWeights } from '../src/model/onnx/readOnnxWeights';
import { measureSampleValidity } from '../src/core/evaluation/sampleValidity';
import {
  PackageReadError,
  readModelPackage,
  type NodeModelPackage,
} from '../bench/nodeModelPackage';
import { processIo, resolveArgs, withOption, type CliIo } from './cli/args';
import { isMainModule } from './cli/isMainModule';
import { ProgressBar } from './lib/progressBar';
import { startTsWorker } from './lib/tsWorker';
import { learningRateAt } from '../src/model/lrSchedule';
import { createDawnStepTrainer } from './lib/dawnStepTrainer';
import type { StepLoss, StepTrainer } from './lib/stepTrainer';
import { rerunOnSwiftShader } from './lib/swiftShaderRerun';
import { ValidityCurve } from './lib/validityCurve';

/** Each batch is cut into this many shards, whatever the worker count (see above). */
const SHARDS = 2;

const command = {
  name: 'train',
  summary: 'Trains a model package on the CPU reference and writes models/<id>/.',
  options: {
    id: {
      type: 'string',
      description: 'package id (folder under --out)',
      default: 'toy-sentences',
    },
    corpus: {
      type: 'string',
      description: 'training corpus',
      choices: corpusNames(),
      default: 'toy-sentences',
    },
    data: {
      type: 'string',
      description:
        'couplets only: a JSON list of {"first", "second"} to train on instead of the built-in set',
    },
    withBuiltIn: {
      type: 'boolean',
      description: 'couplets with --data: add the built-in couplets to the file’s',
    },
    title: { type: 'string', description: "the package's title (default: from the corpus)" },
    kind: {
      type: 'string',
      description: 'masked-diffusion (bidirectional) or autoregressive (causal twin)',
      choices: ['masked-diffusion', 'autoregressive'],
      default: 'masked-diffusion',
    },
    steps: { type: 'integer', description: 'optimizer steps', min: 1, default: 3000 },
    batch: { type: 'integer', description: 'windows per step', min: SHARDS, default: 64 },
    lr: { type: 'number', description: 'peak learning rate', min: 1e-6, max: 1, default: 3e-3 },
    lrFloor: {
      type: 'number',
      description: 'final learning rate of the cosine',
      min: 0,
      max: 1,
      default: 1e-4,
    },
    warmup: { type: 'integer', description: 'warm-up steps', min: 0, default: 100 },
    weightDecay: {
      type: 'number',
      description: 'AdamW decoupled weight decay',
      min: 0,
      max: 1,
      default: 0.1,
    },
    weighting: {
      type: 'string',
      description: "masked loss: 'elbo' (the article's 1/(t·L)) or 'mean'",
      choices: ['elbo', 'mean'],
      default: 'elbo',
    },
    time: {
      type: 'string',
      description: 'time conditioning on t',
      choices: ['on', 'off'],
      default: 'on',
    },
    dModel: { type: 'integer', description: 'model width', min: 4, default: 64 },
    heads: { type: 'integer', description: 'attention heads', min: 1, default: 4 },
    layers: { type: 'integer', description: 'Transformer layers', min: 1, default: 4 },
    ffn: { type: 'integer', description: 'MLP width', min: 4, default: 256 },
    seed: {
      type: 'integer',
      description: 'seed of init, data and masks',
      min: 0,
      max: 0xffffffff,
      default: 1,
    },
    workers: {
      type: 'integer',
      description: 'worker threads',
      min: 1,
      max: SHARDS,
      default: Math.min(SHARDS, os.cpus().length),
    },
    evalSamples: {
      type: 'integer',
      description:
        'samples for the validity measurement (couplets: couplets for the exact-match accuracy)',
      min: 0,
      default: 500,
    },
    evalEvery: {
      type: 'integer',
      description:
        'measure sample validity every N steps (and at the last) on the same --eval-samples seeds; 0: only at the end',
      min: 0,
      default: 0,
    },
    untilValid: {
      type: 'number',
      description:
        'with --eval-every: stop at the first measurement whose validity reaches this fraction (--steps is the cap and sizes the schedule)',
      min: 0,
      max: 1,
    },
    logEvery: { type: 'integer', description: 'steps per loss-curve point', min: 1, default: 10 },
    out: { type: 'string', description: 'folder that holds the packages', default: 'models' },
    initFrom: {
      type: 'string',
      description:
        'continue from the weights of a package this project wrote (its architecture wins)',
    },
    trainer: {
      type: 'string',
      description:
        "'cpu' (the CPU reference on worker threads) or 'webgpu' (our WGSL trainer, Dawn)",
      choices: ['cpu', 'webgpu'],
      default: 'cpu',
    },
    gpuAdapter: {
      type: 'string',
      description:
        "webgpu: 'swiftshader' (software, /usr/lib/chromium, in a child process) or 'native' (Dawn's pick); default swiftshader",
      choices: ['swiftshader', 'native'],
    },
  },
} as const;

type Gradient = { loss: number; grads: Float32Array };

const pct = (x: number | null) => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

/**
 * The training corpus: a named toy corpus, or for `couplets` a JSON file (`--data`, checked
 * entry by entry), optionally with the built-in couplets added. A string is the reason it failed.
 */
function loadCorpus(name: string, data: string | undefined, withBuiltIn: boolean): Corpus | string {
  if (name !== 'couplets') {
    if (data !== undefined || withBuiltIn)
      return `--data and --with-built-in are for --corpus couplets`;
    return getCorpus(name);
  }
  if (data === undefined) {
    return withBuiltIn
      ? '--with-built-in needs --data (the built-in set is the default)'
      : getCorpus(name);
  }
  let text: string;
  try {
    text = fs.readFileSync(data, 'utf8');
  } catch (e) {
    return `--data ${data}: ${(e as Error).message}`;
  }
  const parsed = parseCouplets(text);
  if (!parsed.ok) return `--data ${data}: ${parsed.errors.join('; ')}`;
  const couplets = withBuiltIn ? [...parsed.couplets, ...BUILT_IN_COUPLETS] : parsed.couplets;
  return createCoupletCorpus('couplets', `couplets from ${path.basename(data)}`, couplets);
}

/** Computes shard gradients on worker threads (or inline with one worker). */
class GradientPool {
  private readonly workers: Worker[] = [];
  private readonly inline: { config: ModelConfig; params: Float32Array } | null = null;

  constructor(config: ModelConfig, params: Float32Array, count: number) {
    if (count <= 1) {
      this.inline = { config, params };
      return;
    }
    for (let i = 0; i < count; i++) {
      this.workers.push(
        startTsWorker(new URL('./lib/gradientWorker.ts', import.meta.url), {
          config,
          params: params.buffer,
        }),
      );
    }
  }

  async run(shards: TrainingBatch[]): Promise<Gradient[]> {
    if (this.inline) {
      const layout = buildParameterLayout(this.inline.config);
      return shards.map((s) => {
        const g = computeGradients(layout, this.inline!.params, s);
        return { loss: g.loss, grads: g.grads };
      });
    }
    const results = shards.map((shard, i) =>
      this.request(this.workers[i % this.workers.length], shard),
    );
    return Promise.all(results);
  }

  /** Messages of one worker come back in the order they were posted. */
  private readonly waiting = new Map<
    Worker,
    { resolve: (g: Gradient) => void; reject: (e: Error) => void }[]
  >();

  private request(w: Worker, shard: TrainingBatch): Promise<Gradient> {
    if (!this.waiting.has(w)) {
      const queue: { resolve: (g: Gradient) => void; reject: (e: Error) => void }[] = [];
      this.waiting.set(w, queue);
      w.on('message', (g: Gradient) => queue.shift()?.resolve(g));
      w.on('error', (e) => {
        for (const q of queue.splice(0)) q.reject(e);
      });
    }
    return new Promise((resolve, reject) => {
      this.waiting.get(w)!.push({ resolve, reject });
      w.postMessage(shard);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The CPU reference as a StepTrainer: each batch cut into SHARDS shards whose gradients the
 * pool computes and this thread sums in shard order, then one AdamW step. A step whose loss is
 * not finite is reported and leaves the weights as they were.
 */
function cpuStepTrainer(
  pool: GradientPool,
  params: Float32Array,
  update: {
    adam: ReturnType<typeof createAdamWState>;
    decay: Uint8Array;
    optimizer: typeof DEFAULT_ADAMW;
    schedule: Parameters<typeof applyUpdate>[5];
  },
  workers: number,
): StepTrainer {
  const sum = new Float32Array(params.length);
  let step = 0;
  return {
    name: `cpu-reference (${workers} worker threads)`,
    async step(tb, lr) {
      step++;
      const shards: TrainingBatch[] = [];
      for (let s = 0; s < SHARDS; s++) {
        const from = Math.floor((s * tb.batch) / SHARDS);
        const to = Math.floor(((s + 1) * tb.batch) / SHARDS);
        // Copies: a shard crosses a thread boundary.
        const v = batchRows(tb, from, to);
        shards.push({
          ...v,
          tokens: v.tokens.slice(),
          targets: v.targets.slice(),
          weights: v.weights.slice(),
          t: v.t ? v.t.slice() : null,
        });
      }
      const parts = await pool.run(shards);
      sum.fill(0);
      let loss = 0;
      for (const p of parts) {
        loss += p.loss;
        addInto(sum, p.grads);
      }
      if (!Number.isFinite(loss)) return [{ step, loss, lr }];
      // The same schedule gives the same rate the caller passed (the optimizer counts steps too).
      const applied = applyUpdate(
        params,
        sum,
        update.adam,
        update.decay,
        update.optimizer,
        update.schedule,
      );
      return [{ step, loss, lr: applied.lr }];
    },
    finish: () => Promise.resolve([]),
    params: () => Promise.resolve(params),
    close: () => pool.close(),
  };
}

export async function runTrainCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const o = args.options;
  if (/[/\\]/.test(o.id) || o.id === '.' || o.id === '..') {
    io.stderr(`train: --id must be a folder name (no / or \\), got '${o.id}'\n`);
    return 2;
  }
  if (o.gpuAdapter !== undefined && o.trainer !== 'webgpu') {
    io.stderr(
      `train: --gpu-adapter is for --trainer webgpu; the ${o.trainer} trainer uses no GPU\n`,
    );
    return 2;
  }
  if (o.dModel % o.heads !== 0) {
    io.stderr(`train: --d-model (${o.dModel}) must be divisible by --heads (${o.heads})\n`);
    return 2;
  }
  if (o.warmup > o.steps) {
    io.stderr(`train: --warmup (${o.warmup}) must not exceed --steps (${o.steps})\n`);
    return 2;
  }
  if (o.lrFloor > o.lr) {
    io.stderr(`train: --lr-floor (${o.lrFloor}) must not exceed --lr (${o.lr})\n`);
    return 2;
  }
  if (o.evalEvery > 0 || o.untilValid !== undefined) {
    const why =
      o.untilValid !== undefined && o.evalEvery === 0
        ? '--until-valid needs --eval-every N (how often to measure)'
        : o.evalSamples === 0
          ? '--eval-every and --until-valid need --eval-samples > 0'
          : o.kind !== 'masked-diffusion' || o.corpus === 'couplets'
            ? '--eval-every and --until-valid measure sample validity: masked-diffusion on a toy grammar only'
            : null;
    if (why) {
      io.stderr(`train: ${why}\n`);
      return 2;
    }
  }
  if (o.trainer === 'webgpu' && o.gpuAdapter !== 'native') {
    // Dawn finds SwiftShader only in a process started with its library path.
    const again = withOption(argv, '--gpu-adapter', 'native');
    return rerunOnSwiftShader(new URL(import.meta.url), again, io, 'train');
  }
  const autoregressive = o.kind === 'autoregressive';
  const loaded = loadCorpus(o.corpus, o.data, o.withBuiltIn);
  if (typeof loaded === 'string') {
    io.stderr(`train: ${loaded}\n`);
    return 2;
  }
  const corpus = loaded;
  const vocab = corpus.vocab;
  const config: ModelConfig = {
    vocabSize: vocab.size,
    seqLen: corpus.seqLen,
    dModel: o.dModel,
    heads: o.heads,
    layers: o.layers,
    ffn: o.ffn,
    timeConditioning: !autoregressive && o.time === 'on',
    causal: autoregressive,
    layerNormEps: LAYER_NORM_EPS,
  };
  let earlier: Record<string, unknown> | null = null;
  let start: Float32Array | null = null;
  if (o.initFrom) {
    let from: NodeModelPackage;
    try {
      from = readModelPackage(o.initFrom);
    } catch (e) {
      if (!(e instanceof PackageReadError)) throw e;
      io.stderr(`train: --init-from: ${e.message}\n`);
      return 2;
    }
    const arch = from.manifest.architecture as Partial<ModelConfig> | undefined;
    if (!arch || from.manifest.vocab.join('\n') !== vocab.tokens.join('\n')) {
      io.stderr(
        `train: --init-from ${o.initFrom} is not a package of this corpus written by this project\n`,
      );
      return 2;
    }
    Object.assign(config, arch);
    try {
      start = readOnnxWeights(from.onnx, buildParameterLayout(config));
    } catch (e) {
      io.stderr(`train: --init-from: ${from.onnxPath}: ${(e as Error).message}\n`);
      return 2;
    }
    earlier = from.manifest.training ?? null;
  }
  const layout = buildParameterLayout(config);
  const params = new Float32Array(new SharedArrayBuffer(layout.total * 4));
  params.set(start ?? initParameters(layout, o.seed, (n) => new Float32Array(n)));
  const adam = createAdamWState(layout.total);
  const decay = weightDecayMask(layout);
  const optimizer = { ...DEFAULT_ADAMW, weightDecay: o.weightDecay };
  const schedule = { peak: o.lr, warmupSteps: o.warmup, totalSteps: o.steps, floor: o.lrFloor };
  const dataRng = new Rng(o.seed ^ 0x5eed);
  const maskRng = new Rng(o.seed ^ 0x3a5c);
  const L = corpus.seqLen;

  const corpusTitle = o.corpus === 'couplets' ? 'Couplets' : 'Toy sentences';
  const trainedOn = o.data ? `${o.corpus} (${path.basename(o.data)})` : o.corpus;
  const manifestFor = (training: Record<string, unknown>) =>
    manifestForBuiltModel({
      id: o.id,
      title: o.title ?? (autoregressive ? `${corpusTitle} (autoregressive twin)` : corpusTitle),
      description: autoregressive
        ? `The same Transformer with causal attention, trained next-token on ${trainedOn}.`
        : `A ${config.layers}-layer bidirectional Transformer (d=${config.dModel}) trained with the masked-diffusion objective on ${trainedOn}.`,
      kind: o.kind as 'masked-diffusion' | 'autoregressive',
      config,
      vocab: vocab.tokens.slice(),
      special: { mask: vocab.maskId, pad: vocab.padId, eos: vocab.eosId },
      training,
    });
  // The producer names the kind of trainer only: the same weights give the same bytes.
  const producer = `unmask train (${o.trainer === 'webgpu' ? 'WebGPU trainer' : 'CPU reference'})`;
  /**
   * Sample validity of some weights: the article's sampler (S = L, temperature 1) on ONNX
   * Runtime (wasm, one thread), the same --eval-samples seeds every time, so the points of a
   * validity curve differ by the weights only.
   */
  const validityOf = async (weights: Float32Array) => {
    const onnx = buildOnnxModel(layout, weights, { producer });
    ort.env.wasm.numThreads = 1;
    const model = await OrtModel.create(ort, onnx, manifestFor({}), 'wasm');
    try {
      return await measureSampleValidity(model, corpus, {
        samples: o.evalSamples,
        steps: L,
        seed: o.seed,
      });
    } finally {
      await model.release();
    }
  };
  const validityMethod = `article sampler, S = L = ${L}, temperature 1, ${o.evalSamples} samples, seed ${o.seed}`;

  const trainer: StepTrainer =
    o.trainer === 'webgpu'
      ? await createDawnStepTrainer(layout, params, { batch: o.batch, optimizer })
      : cpuStepTrainer(
          new GradientPool(config, params, o.workers),
          params,
          { adam, decay, optimizer, schedule },
          o.workers,
        );
  io.stderr(
    `train: ${o.id} (${o.kind}) on ${o.corpus}: ${layout.total.toLocaleString('en')} parameters, ` +
      `${o.steps} steps of ${o.batch}, ${trainer.name}\n`,
  );
  const bar = new ProgressBar(o.steps);
  const curve: { step: number; loss: number; lr: number }[] = [];
  let windowLoss = 0;
  let windowCount = 0;
  let ema = NaN;
  const started = Date.now();
  const validityCurve = new ValidityCurve(o.evalEvery, o.steps, o.untilValid);
  /** The last measurement, reused at the end when it was of the final weights. */
  let measured: { step: number; result: Awaited<ReturnType<typeof validityOf>> } | null = null;
  let evalMs = 0;
  let lastStep = o.steps;
  /** Logs one step's loss; false, after saying so, when it is not finite. */
  const absorb = ({ step, loss, lr }: StepLoss): boolean => {
    if (!Number.isFinite(loss)) {
      bar.finish();
      io.stderr(
        `train: the loss became ${loss} at step ${step - 1}; stopping without writing a package (try a lower --lr)\n`,
      );
      return false;
    }
    windowLoss += loss;
    windowCount++;
    ema = Number.isNaN(ema) ? loss : 0.98 * ema + 0.02 * loss;
    if (step % o.logEvery === 0 || step === lastStep) {
      curve.push({
        step,
        loss: +(windowLoss / windowCount).toFixed(5),
        lr: +lr.toExponential(3),
      });
      windowLoss = 0;
      windowCount = 0;
    }
    const rate = step / ((Date.now() - started - evalMs) / 1000);
    bar.update(
      step,
      `loss ${ema.toFixed(3)} · lr ${lr.toExponential(1)} · ${rate.toFixed(2)} steps/s`,
    );
    return true;
  };
  try {
    for (let step = 0; step < o.steps; step++) {
      const x0 = corpus.sampleBatch(dataRng, o.batch);
      const tb = autoregressive
        ? nextTokenBatch(x0, o.batch, L)
        : maskedDiffusionBatch(x0, o.batch, L, {
            maskId: vocab.maskId,
            rng: maskRng,
            weighting: o.weighting as 'elbo' | 'mean',
          });
      if (!(await trainer.step(tb, learningRateAt(step, schedule))).every(absorb)) return 1;
      if (!validityCurve.due(step + 1)) continue;
      const evalStart = Date.now();
      const seconds = (evalStart - started - evalMs) / 1000;
      const result = await validityOf(await trainer.params());
      evalMs += Date.now() - evalStart;
      measured = { step: step + 1, result };
      const wallSeconds = (Date.now() - started) / 1000;
      bar.finish();
      io.stderr(
        `train: step ${step + 1}: ${pct(result.fraction)} grammatical (${o.evalSamples} samples) · ` +
          `${seconds.toFixed(0)} s training, ${wallSeconds.toFixed(0)} s with evaluation\n`,
      );
      const reached = validityCurve.record({
        step: step + 1,
        seconds: +seconds.toFixed(1),
        wallSeconds: +wallSeconds.toFixed(1),
        validity: result.fraction,
      });
      if (reached) {
        lastStep = step + 1;
        io.stderr(`train: reached ${pct(o.untilValid!)} at step ${lastStep}: stopping\n`);
        break;
      }
    }
    if (!(await trainer.finish()).every(absorb)) return 1;
    // An early stop leaves the last loss window open.
    if (windowCount > 0) {
      const lr = +learningRateAt(lastStep - 1, schedule).toExponential(3);
      curve.push({ step: lastStep, loss: +(windowLoss / windowCount).toFixed(5), lr });
    }
    params.set(await trainer.params());
  } finally {
    bar.finish();
    await trainer.close();
  }
  const wallSeconds = (Date.now() - started) / 1000;
  const trainSeconds = wallSeconds - evalMs / 1000;

  const onnx = buildOnnxModel(layout, params, { producer });
  const training: Record<string, unknown> = {
    corpus: o.corpus,
    ...(o.data ? { data: path.basename(o.data), withBuiltIn: o.withBuiltIn } : {}),
    ...('couplets' in corpus ? { couplets: (corpus.couplets as unknown[]).length } : {}),
    trainer: trainer.name,
    steps: lastStep,
    ...(lastStep < o.steps ? { stepsPlanned: o.steps } : {}),
    batch: o.batch,
    seed: o.seed,
    objective: autoregressive
      ? 'next-token'
      : `masked-diffusion, ${o.weighting} weighting, t ~ U(0.001, 1)`,
    optimizer: { name: 'AdamW', ...optimizer, schedule },
    finalLoss: curve.length ? curve[curve.length - 1].loss : null,
    trainSeconds: Math.round(trainSeconds),
    ...(o.evalEvery > 0
      ? {
          wallSeconds: Math.round(wallSeconds),
          evaluationSeconds: Math.round(evalMs / 1000),
          validityCurve: {
            every: o.evalEvery,
            method: validityMethod,
            seconds: 'training wall time, evaluation excluded (wallSeconds: included)',
            points: validityCurve.points,
          },
        }
      : {}),
    ...(validityCurve.outcome() ? { untilValid: validityCurve.outcome() } : {}),
    lossCurve: curve,
    ...(earlier ? { continuedFrom: { package: o.initFrom, training: earlier } } : {}),
  };
  let manifest = manifestFor(training);

  if (o.evalSamples > 0 && 'couplets' in corpus) {
    const couplets = (corpus as CoupletCorpus).couplets.slice(0, o.evalSamples);
    io.stderr(`train: exact match on ${couplets.length} couplets, both directions (greedy)…\n`);
    ort.env.wasm.numThreads = 1;
    const model = await OrtModel.create(ort, onnx, manifest, 'wasm');
    const result = await evaluateReversal(couplets, [
      {
        kind: o.kind as 'masked-diffusion' | 'autoregressive',
        vocab,
        seqLen: L,
        timeConditioned: config.timeConditioning,
        sample: samplerOver(model),
      },
    ]);
    await model.release();
    const [forward, reversal] = result.scores;
    training.exactMatch = {
      forward: forward.accuracy,
      reversal: reversal.accuracy,
      couplets: forward.n,
      method:
        'greedy; diffusion: llada.low_confidence, one character per call, told the line length; autoregressive: prompt + [SEP], stops at [EOS]',
    };
    manifest = { ...manifest, training };
    io.stderr(
      `train: exact match forward ${pct(forward.accuracy)}, reversal ${pct(reversal.accuracy)} (${forward.n} couplets)\n`,
    );
  } else if (o.evalSamples > 0 && !autoregressive) {
    // The curve's last point, when it is of these weights, is this very measurement.
    const reuse = measured?.step === lastStep ? measured.result : null;
    if (!reuse)
      io.stderr(
        `train: measuring sample validity on ${o.evalSamples} samples (article sampler, S = L = ${L})…\n`,
      );
    const validity = reuse ?? (await validityOf(params));
    training.sampleValidity = validity.fraction;
    training.sampleValidityMethod = validityMethod;
    training.exampleSamples = validity.examples.slice(0, 8);
    manifest = { ...manifest, training };
    io.stderr(`train: ${(validity.fraction * 100).toFixed(1)}% of samples are grammatical\n`);
  }

  const dir = path.resolve(o.out, o.id);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'model.onnx'), onnx);
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  io.stdout(
    `wrote ${path.relative(process.cwd(), dir)}/ (model.onnx ${(onnx.byteLength / 1e6).toFixed(2)} MB) in ${trainSeconds.toFixed(0)} s\n`,
  );
  return 0;
}

if (isMainModule(import.meta.url)) {
  runTrainCli(process.argv.slice(2), processIo).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`train: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

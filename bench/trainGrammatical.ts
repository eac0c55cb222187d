/**
 * `bench -- train --parts grammatical` (issue 14, item 1): the training time a fresh model needs
 * to write grammatical samples at the target rate, with the Train panel's default recipe
 * (DEFAULT_SETTINGS itself, not a copy of its numbers) on the trainer the panel uses.
 *
 * It runs the panel's own loop (src/train/trainingRun.ts, with its checkpoints and paced sample
 * decodes) on the backend the training worker would build (src/train/runSetup.ts): the CPU
 * backend, or our WebGPU trainer on Dawn. Every `evalEvery` steps the run pauses and the bench
 * measures the weights: `evalSamples` whole windows from the article's sampler (S = L,
 * temperature 1, the same seeds each time) judged by the corpus's exact oracle. Seconds are the
 * wall time of the panel's loop only; the measurements are left out (and reported beside).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureSampleValidity } from '../src/core/evaluation/sampleValidity';
import { ValidityCurve, type ValidityPoint } from '../scripts/lib/validityCurve';
import type { StepBackend } from '../src/train/cpuStepBackend';
import {
  createCpuBackend,
  freshParameters,
  gpuTrainerOptions,
  runModel,
} from '../src/train/runSetup';
import { buildTrainedPackage } from '../src/train/trainedPackage';
import { startNodeGradientWorkers } from '../src/train/node/gradientWorkerLinks';
import { TrainingRun } from '../src/train/trainingRun';
import { checkSettings } from '../src/train/settingsProblems';
import {
  DEFAULT_SETTINGS,
  scheduleFor,
  type TrainingSettings,
} from '../src/train/trainingProtocol';
import type { BenchIo } from './benchCommand';
import type { BenchContext, BenchRecord } from './benchLine';

export type GrammaticalTrainer = 'cpu' | 'webgpu';

export interface GrammaticalSettings {
  /** The run's settings: the panel's DEFAULT_SETTINGS unless a bench option overrides one. */
  recipe: TrainingSettings;
  trainer: GrammaticalTrainer;
  evalEvery: number;
  evalSamples: number;
  target: number;
  /** Where the trained package goes (none when absent). */
  out?: string;
}

/** The fields of the panel's settings the bench may override (for experiments). */
export type RecipeOverrides = Partial<Pick<TrainingSettings, 'preset' | 'steps' | 'batch' | 'lr'>>;

/**
 * The run's settings: DEFAULT_SETTINGS itself when nothing is overridden (so the bench cannot
 * drift from what Start runs), else a copy with the overrides.
 */
export function grammaticalRecipe(overrides: RecipeOverrides = {}): TrainingSettings {
  const set = Object.entries(overrides).filter(([, v]) => v !== undefined);
  if (set.length === 0) return DEFAULT_SETTINGS;
  const recipe = { ...DEFAULT_SETTINGS, ...Object.fromEntries(set) };
  checkSettings(recipe);
  return recipe;
}

/** What one run gives the lines: the curve, the outcome and the times. */
export interface GrammaticalRecord {
  trainer: string;
  steps: number;
  trainSeconds: number;
  evaluationSeconds: number;
  points: ValidityPoint[];
  target: number;
  met: boolean;
  /** The first measured step at the target (null when none was). */
  step: number | null;
  seconds: number | null;
  secondsWithEvaluation: number | null;
}

/** The bench lines of one run: steps and seconds to the target, then the curve's points. */
export function grammaticalLines(
  record: GrammaticalRecord,
  s: GrammaticalSettings,
  context: BenchContext,
): BenchRecord[] {
  const r = s.recipe;
  const schedule = scheduleFor(r);
  const common: BenchContext = {
    target: `>= ${s.target}`,
    met: record.met,
    trainer: record.trainer,
    backend: s.trainer,
    recipe: r === DEFAULT_SETTINGS ? 'the Train panel default' : 'overridden',
    preset: r.preset,
    batch: r.batch,
    lr: r.lr,
    steps: r.steps,
    weighting: r.weighting,
    seed: r.seed,
    schedule: `warm-up ${schedule.warmupSteps}, cosine to ${+schedule.floor.toPrecision(3)} at step ${schedule.totalSteps}`,
    evalEvery: s.evalEvery,
    validityMethod: `article sampler, S = L, temperature 1, ${s.evalSamples} samples, seeds ${r.seed}…`,
    ...context,
  };
  const best = Math.max(...record.points.map((p) => p.validity));
  const last = record.points[record.points.length - 1];
  const lines: BenchRecord[] = [
    {
      bench: 'train',
      metric: 'steps_to_grammatical',
      value: record.step,
      unit: 'steps',
      how: record.met
        ? 'first measured step whose samples were grammatical at the target rate'
        : `not reached in ${record.steps} steps; best ${best}`,
      stepsRun: record.steps,
      lastValidity: last?.validity ?? null,
      ...common,
    },
    {
      bench: 'train',
      metric: 'seconds_to_grammatical',
      value: record.seconds,
      unit: 's',
      how: "wall time of the Train panel's loop (its checkpoints and sample decodes included), validity measurements excluded",
      secondsWithEvaluation: record.secondsWithEvaluation,
      secondsRun: record.trainSeconds,
      evaluationSeconds: record.evaluationSeconds,
      ...common,
    },
  ];
  for (const p of record.points) {
    lines.push({
      bench: 'train',
      metric: 'validity_curve',
      value: p.validity,
      unit: 'fraction grammatical',
      step: p.step,
      seconds: p.seconds,
      secondsWithEvaluation: p.wallSeconds,
      ...common,
    });
  }
  return lines;
}

interface OpenBackend {
  backend: StepBackend;
  name: string;
  close(): void;
}

async function openBackend(
  trainer: GrammaticalTrainer,
  settings: TrainingSettings,
  layout: ReturnType<typeof runModel>['layout'],
  params: Float32Array,
): Promise<OpenBackend> {
  if (trainer === 'cpu') {
    const { backend, threads } = createCpuBackend(settings, layout, params, {
      hardwareConcurrency: os.availableParallelism(),
      startWorkers: startNodeGradientWorkers,
    });
    return {
      backend,
      name: `cpu (${threads} thread${threads > 1 ? 's' : ''})`,
      close: () => backend.destroy(),
    };
  }
  // Node only, and only here: the CPU path never loads Dawn.
  const { createDawnDevice } = await import('../src/train/node/dawnDevice');
  const { createGpuTrainer } = await import('../src/train/gpuTrainer');
  const dawn = await createDawnDevice();
  try {
    const backend = await createGpuTrainer(
      dawn.device,
      layout,
      params,
      gpuTrainerOptions(settings),
    );
    return {
      backend,
      name: `webgpu (Dawn, ${dawn.adapter})`,
      close: () => {
        backend.destroy();
        dawn.close();
      },
    };
  } catch (error) {
    dawn.close();
    throw error;
  }
}

const seconds = (ms: number) => +(ms / 1000).toFixed(1);

/** Trains to the target (or the recipe's last step), measuring as it goes, and emits the lines. */
export async function runGrammatical(
  s: GrammaticalSettings,
  io: BenchIo,
  context: BenchContext,
): Promise<number> {
  const settings = s.recipe;
  checkSettings(settings);
  // The machine is shared: its load (1, 5 and 15 minutes) goes beside every figure.
  const loadAverageAtStart = os.loadavg().map((x) => +x.toFixed(2));
  const { corpus, layout } = runModel(settings);
  const opened = await openBackend(s.trainer, settings, layout, freshParameters(settings, layout));
  io.progress(
    `train: grammatical: ${settings.preset} (${layout.total.toLocaleString('en')} parameters), ` +
      `${settings.steps} steps of ${settings.batch}, lr ${settings.lr}, on ${opened.name}\n`,
  );
  const run = new TrainingRun(settings, corpus, layout, opened.backend, opened.name, {
    progress: () => {},
    saveCheckpoint: () => Promise.resolve(),
  });
  const curve = new ValidityCurve(s.evalEvery, settings.steps, s.target);
  let trainMs = 0;
  let evaluationMs = 0;
  try {
    while (!run.done) {
      const pauseAt = Math.min(
        settings.steps,
        (Math.floor(run.step / s.evalEvery) + 1) * s.evalEvery,
      );
      const started = performance.now();
      const outcome = await run.run(pauseAt);
      trainMs += performance.now() - started;
      if (outcome.kind === 'rolledBack') {
        io.stderr(
          `bench train: grammatical: the loss became ${outcome.badLoss} at step ${outcome.badStep}\n`,
        );
        return 1;
      }
      const measuring = performance.now();
      const { denoiser } = await run.denoiser();
      const validity = await measureSampleValidity(denoiser, corpus, {
        samples: s.evalSamples,
        steps: corpus.seqLen,
        seed: settings.seed,
      });
      evaluationMs += performance.now() - measuring;
      io.progress(
        `train: grammatical: step ${run.step}: ${(100 * validity.fraction).toFixed(1)}% of ` +
          `${s.evalSamples} samples · ${seconds(trainMs)} s training (${seconds(evaluationMs)} s measuring)\n`,
      );
      const reached = curve.record({
        step: run.step,
        seconds: seconds(trainMs),
        wallSeconds: seconds(trainMs + evaluationMs),
        validity: validity.fraction,
      });
      if (reached) break;
    }
    if (s.out) {
      const params = (await run.denoiser()).params;
      const pkg = buildTrainedPackage(layout, params, corpus, {
        settings,
        step: run.step,
        history: run.history,
        backend: opened.name,
      });
      const dir = path.resolve(s.out);
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'model.onnx'), new Uint8Array(pkg.onnx));
      fs.writeFileSync(path.join(dir, 'manifest.json'), pkg.manifestJson);
    }
  } finally {
    opened.close();
  }
  const outcome = curve.outcome()!;
  const record: GrammaticalRecord = {
    trainer: opened.name,
    steps: run.step,
    trainSeconds: seconds(trainMs),
    evaluationSeconds: seconds(evaluationMs),
    points: curve.points,
    target: s.target,
    met: outcome.met,
    step: outcome.step,
    seconds: outcome.trainSeconds,
    secondsWithEvaluation: outcome.wallSeconds,
  };
  const size: BenchContext = {
    parameters: layout.total,
    dModel: layout.config.dModel,
    heads: layout.config.heads,
    layers: layout.config.layers,
    ffn: layout.config.ffn,
    loadAverageAtStart,
    loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    ...(s.out ? { package: path.resolve(s.out) } : {}),
  };
  for (const line of grammaticalLines(record, s, { ...context, ...size })) io.emit(line);
  return 0;
}

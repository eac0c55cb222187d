/**
 * `bench -- reversal --data FILE`: the reversal curse (LLaDA, Nie et al. 2025, §4.3) on a couplet
 * set. Trains the masked-diffusion model and its autoregressive twin on the forward direction
 * (first [SEP] second [EOS]…) with `npm run train`'s own code, or with `--from DIR` takes two
 * packages already trained, then measures greedy exact-match accuracy for forward (given the
 * first line, write the second) and reversal (given the second, write the first) on both, in
 * Node on onnxruntime-web's WASM build (src/core/evaluation/reversalTasks.ts says how each
 * model is asked). Prints the four accuracies, the paper's figures, the training times and
 * whether the targets hold: diffusion reversal ≥ 0.8 × diffusion forward; the twin shows the
 * curse, forward ≥ 0.8 and reversal ≤ 0.1.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { parseCouplets, type Couplet } from '../src/core/corpus';
import {
  evaluateReversal,
  samplerOver,
  type CoupletModel,
  type ReversalScore,
} from '../src/core/evaluation/reversalEvaluation';
import {
  REVERSAL_PAPER_FIGURES,
  REVERSAL_PAPER_SOURCE,
} from '../src/core/evaluation/reversalPaperFigures';
import type { CoupletModelKind } from '../src/core/evaluation/reversalTasks';
import { coupletModelInfo } from '../src/model/coupletModel';
import { OrtModel } from '../src/runtime/ortModel';
import { resolveArgs, type CliIo, type ParsedOptions } from '../scripts/cli/args';
import { runTrainCli } from '../scripts/train';
import type { BenchDefinition, BenchIo } from './benchCommand';
import type { BenchContext } from './benchLine';
import { describeNodeMachine } from './machine';
import { readModelPackage, type NodeModelPackage } from './nodeModelPackage';

/** The paper's figures as the bench's JSON gives them: { source, [model]: { forward, reversal } }. */
const PAPER_REFERENCE = {
  source: REVERSAL_PAPER_SOURCE,
  ...Object.fromEntries(
    REVERSAL_PAPER_FIGURES.map(({ model, forward, reversal }) => [model, { forward, reversal }]),
  ),
};

export const TARGETS = {
  diffusionReversalShare: 0.8,
  twinForwardAtLeast: 0.8,
  twinReversalAtMost: 0.1,
} as const;

/** Settings of the shipped couplet packages (models/couplets*), the bench's defaults. */
export const COUPLET_TRAINING = {
  dModel: 64,
  heads: 4,
  layers: 2,
  ffn: 256,
  batch: 32,
  lr: 3e-3,
  warmup: 100,
  weightDecay: 0.01,
  stepsDiffusion: 4000,
  stepsTwin: 2000,
} as const;

const command = {
  name: 'bench reversal',
  summary: 'The reversal curse on couplets: forward and reversal exact match, diffusion and twin.',
  options: {
    data: {
      type: 'string',
      description: 'couplets, a JSON list of {"first", "second"}',
      required: true,
    },
    limit: { type: 'integer', description: 'only the first N couplets (train and test)', min: 1 },
    from: {
      type: 'string',
      description: 'evaluate packages already trained, in DIR/<diffusion-id> and DIR/<twin-id>',
    },
    diffusionId: { type: 'string', description: 'diffusion package id', default: 'couplets' },
    twinId: { type: 'string', description: 'autoregressive package id', default: 'couplets-ar' },
    out: { type: 'string', description: 'keep the trained packages here (default: discarded)' },
    withBuiltIn: {
      type: 'boolean',
      description: 'train on the built-in couplets too (they are not tested)',
    },
    steps: {
      type: 'integer',
      description: 'training steps of the diffusion model',
      min: 1,
      default: COUPLET_TRAINING.stepsDiffusion,
    },
    stepsTwin: {
      type: 'integer',
      description: 'training steps of the autoregressive twin',
      min: 1,
      default: COUPLET_TRAINING.stepsTwin,
    },
    dModel: {
      type: 'integer',
      description: 'model width',
      min: 4,
      default: COUPLET_TRAINING.dModel,
    },
    heads: {
      type: 'integer',
      description: 'attention heads',
      min: 1,
      default: COUPLET_TRAINING.heads,
    },
    layers: {
      type: 'integer',
      description: 'Transformer layers',
      min: 1,
      default: COUPLET_TRAINING.layers,
    },
    ffn: { type: 'integer', description: 'MLP width', min: 4, default: COUPLET_TRAINING.ffn },
    batch: {
      type: 'integer',
      description: 'windows per step',
      min: 2,
      default: COUPLET_TRAINING.batch,
    },
    warmup: {
      type: 'integer',
      description: 'warm-up steps (capped at the step count)',
      min: 0,
      default: COUPLET_TRAINING.warmup,
    },
    seed: { type: 'integer', description: 'training seed', min: 0, default: 1 },
    workers: {
      type: 'integer',
      description: 'training worker threads',
      min: 1,
      max: 2,
      default: 1,
    },
  },
} as const;

type Options = ParsedOptions<typeof command.options>;

/**
 * The stages a package's weights went through, oldest first: `train --init-from` keeps the
 * earlier training record under `continuedFrom`.
 */
export function trainingStages(
  training: Record<string, unknown>,
): { steps: number | null; seconds: number | null }[] {
  const num = (v: unknown) => (typeof v === 'number' ? v : null);
  const earlier = (training.continuedFrom as { training?: Record<string, unknown> } | undefined)
    ?.training;
  return [
    ...(earlier ? trainingStages(earlier) : []),
    { steps: num(training.steps), seconds: num(training.trainSeconds) },
  ];
}

const sumOrNull = (xs: (number | null)[]) =>
  xs.some((x) => x === null) ? null : xs.reduce((a: number, x) => a + x!, 0);

const MODEL_NAME: Record<CoupletModelKind, 'diffusion' | 'autoregressive'> = {
  'masked-diffusion': 'diffusion',
  autoregressive: 'autoregressive',
};

/** Trains one package with the train CLI (its progress goes to the bench's stderr). */
async function trainPackage(
  o: Options,
  kind: CoupletModelKind,
  dataFile: string,
  out: string,
  io: BenchIo,
): Promise<NodeModelPackage> {
  const id = kind === 'autoregressive' ? o.twinId : o.diffusionId;
  const steps = kind === 'autoregressive' ? o.stepsTwin : o.steps;
  const argv = [
    ...['--corpus', 'couplets', '--data', dataFile, '--kind', kind, '--id', id, '--out', out],
    ...['--steps', String(steps), '--warmup', String(Math.min(o.warmup, steps))],
    ...['--d-model', String(o.dModel), '--heads', String(o.heads), '--layers', String(o.layers)],
    ...['--ffn', String(o.ffn), '--batch', String(o.batch), '--seed', String(o.seed)],
    ...[
      '--lr',
      String(COUPLET_TRAINING.lr),
      '--weight-decay',
      String(COUPLET_TRAINING.weightDecay),
    ],
    ...['--time', 'off', '--workers', String(o.workers), '--eval-samples', '0'],
    ...(o.withBuiltIn ? ['--with-built-in'] : []),
  ];
  const trainIo: CliIo = { stdout: (t) => io.progress(t), stderr: (t) => io.progress(t) };
  const code = await runTrainCli(argv, trainIo);
  if (code !== 0) throw new Error(`training the ${kind} model failed (train exit code ${code})`);
  return readModelPackage(path.join(out, id));
}

function accuracyLine(
  score: ReversalScore,
  scores: readonly ReversalScore[],
  context: BenchContext,
): BenchContext & { bench: string; metric: string; value: number | null; unit: string } {
  const forwardOf = (kind: CoupletModelKind) =>
    scores.find((s) => s.kind === kind && s.direction === 'forward')?.accuracy ?? null;
  let target: Record<string, unknown> = {};
  const value = score.accuracy;
  if (value !== null && score.kind === 'masked-diffusion' && score.direction === 'reversal') {
    const forward = forwardOf('masked-diffusion');
    const bar = forward === null ? null : TARGETS.diffusionReversalShare * forward;
    target = {
      target: `>= ${TARGETS.diffusionReversalShare} × diffusion forward`,
      met: bar !== null && value >= bar,
      shareOfForward: forward ? value / forward : null,
    };
  } else if (value !== null && score.kind === 'autoregressive') {
    target =
      score.direction === 'forward'
        ? { target: `>= ${TARGETS.twinForwardAtLeast}`, met: value >= TARGETS.twinForwardAtLeast }
        : { target: `<= ${TARGETS.twinReversalAtMost}`, met: value <= TARGETS.twinReversalAtMost };
  }
  return {
    bench: 'reversal',
    metric: score.direction,
    value,
    unit: 'fraction',
    model: MODEL_NAME[score.kind],
    n: score.n,
    correct: score.correct,
    ...(target as BenchContext),
    ...context,
  };
}

async function run(argv: readonly string[], io: BenchIo): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const o = args.options;
  if (o.dModel % o.heads !== 0) {
    io.stderr(
      `bench reversal: --d-model (${o.dModel}) must be divisible by --heads (${o.heads})\n`,
    );
    return 2;
  }
  let text: string;
  try {
    text = fs.readFileSync(o.data, 'utf8');
  } catch (e) {
    io.stderr(`bench reversal: --data ${o.data}: ${(e as Error).message}\n`);
    return 2;
  }
  const parsed = parseCouplets(text);
  if (!parsed.ok) {
    io.stderr(`bench reversal: --data ${o.data}: ${parsed.errors.join('; ')}\n`);
    return 2;
  }
  const couplets: Couplet[] = parsed.couplets.slice(0, o.limit ?? parsed.couplets.length);

  // Train (on exactly the couplets tested, plus the built-in ones if asked) or read packages.
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-reversal-'));
  const packages: NodeModelPackage[] = [];
  const trainingSeconds = new Map<CoupletModelKind, number>();
  try {
    if (o.from) {
      for (const id of [o.diffusionId, o.twinId])
        packages.push(readModelPackage(path.join(o.from, id)));
    } else {
      const dataFile = path.join(scratch, 'couplets.json');
      fs.writeFileSync(dataFile, JSON.stringify(couplets));
      const out = o.out ?? path.join(scratch, 'models');
      for (const kind of ['masked-diffusion', 'autoregressive'] as const) {
        const started = performance.now();
        packages.push(await trainPackage(o, kind, dataFile, out, io));
        trainingSeconds.set(kind, (performance.now() - started) / 1000);
      }
    }
    const kinds = packages.map((p) => p.manifest.kind);
    if (kinds[0] !== 'masked-diffusion' || kinds[1] !== 'autoregressive') {
      io.stderr(
        `bench reversal: expected a masked-diffusion and an autoregressive package, got ${kinds.join(' and ')}\n`,
      );
      return 2;
    }

    ort.env.wasm.numThreads = 1;
    const sessions = await Promise.all(
      packages.map((p) => OrtModel.create(ort, p.onnx, p.manifest, 'wasm')),
    );
    let evaluation;
    const started = performance.now();
    try {
      const models: CoupletModel[] = sessions.map((session, i) => ({
        ...coupletModelInfo(packages[i].manifest),
        sample: samplerOver(session),
      }));
      evaluation = await evaluateReversal(couplets, models, {
        onOutcome: (_, done, total) => {
          if (done % 100 === 0 || done === total)
            io.progress(`reversal: ${done}/${total} answers\n`);
        },
      });
    } finally {
      await Promise.all(sessions.map((s) => s.release()));
    }
    const evaluationSeconds = (performance.now() - started) / 1000;

    const context: BenchContext = {
      couplets: couplets.length,
      data: path.basename(o.data),
      decoding:
        'greedy; diffusion: llada.low_confidence, one character per call, told the line length; autoregressive: prompt + [SEP], stops at [EOS]',
      provider: 'wasm',
      machine: { ...describeNodeMachine() },
    };
    for (const score of evaluation.scores) {
      const skipped = evaluation.skipped.filter(
        (s) => s.kind === score.kind && s.direction === score.direction,
      );
      const examples = evaluation.outcomes
        .filter((x) => x.kind === score.kind && x.direction === score.direction)
        .slice(0, 3)
        .map((x) => `${x.correct ? '✓' : '✗'} ${x.given} → ${x.answer || '(nothing)'}`);
      io.emit({
        ...accuracyLine(score, evaluation.scores, context),
        skipped: skipped.length,
        examples,
        package: packages[score.kind === 'autoregressive' ? 1 : 0].manifest.id,
      });
    }
    io.emit({
      bench: 'reversal',
      metric: 'paper',
      value: null,
      unit: 'percent',
      reference: PAPER_REFERENCE,
    });
    for (const p of packages) {
      const training = p.manifest.training ?? {};
      const measured = trainingSeconds.get(p.manifest.kind);
      const stages = trainingStages(training);
      io.emit({
        bench: 'reversal',
        metric: 'training_time',
        value: measured ?? sumOrNull(stages.map((s) => s.seconds)),
        unit: 's',
        model: MODEL_NAME[p.manifest.kind],
        source:
          measured !== undefined
            ? 'this run (train CLI, wall clock)'
            : 'the package manifest (every stage)',
        steps: sumOrNull(stages.map((s) => s.steps)),
        stages: stages.map((s) => ({ steps: s.steps, seconds: s.seconds })),
        batch: (training.batch as number | undefined) ?? null,
        trainer: (training.trainer as string | undefined) ?? null,
        architecture: (p.manifest.architecture as BenchContext | undefined) ?? null,
        package: p.manifest.id,
      });
    }
    io.emit({
      bench: 'reversal',
      metric: 'evaluation_time',
      value: evaluationSeconds,
      unit: 's',
      answers: evaluation.outcomes.length,
    });
    const lines = evaluation.scores.map((s) => accuracyLine(s, evaluation.scores, {}));
    const verdicts = lines.filter((l) => typeof l.met === 'boolean').map((l) => l.met as boolean);
    io.emit({
      bench: 'reversal',
      metric: 'targets',
      value: verdicts.length === 3 && verdicts.every(Boolean),
      unit: 'boolean',
      met: verdicts.length === 3 && verdicts.every(Boolean),
      targets: [
        `diffusion reversal >= ${TARGETS.diffusionReversalShare} × diffusion forward`,
        `autoregressive forward >= ${TARGETS.twinForwardAtLeast}`,
        `autoregressive reversal <= ${TARGETS.twinReversalAtMost}`,
      ],
      each: verdicts,
    });
    return 0;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export const reversalBench: BenchDefinition = {
  name: 'reversal',
  summary: 'reversal curse on couplets: exact match forward/reversal for diffusion and its twin',
  command,
  run,
};

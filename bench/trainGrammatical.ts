/**
 * `bench -- train --parts grammatical` (issue 6, item 8): the steps and the time a fresh model
 * needs to write ≥ 90% grammatical samples. It trains from a fresh init with `npm run train
 * -- --eval-every N --until-valid X` and turns the manifest's training record into JSON lines.
 *
 * In-process, not a child process: it calls the very function `npm run train` runs
 * (runTrainCli), so the figure is that of the command people use, its progress streams through
 * the bench's stderr, and the CPU trainer's worker threads are the CLI's own. (`--trainer
 * webgpu` on SwiftShader still re-runs itself in a child process, as the CLI always does: Dawn
 * finds the software adapter only in a process started with its library path.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runTrainCli } from '../scripts/train';
import type { ValidityPoint, ValidityTarget } from '../scripts/lib/validityCurve';
import type { ModelConfig } from '../src/model/config';
import { buildParameterLayout } from '../src/model/parameterLayout';
import { MODEL_PRESETS, type ModelPreset } from '../src/train/trainingProtocol';
import type { BenchIo } from './benchCommand';
import type { BenchContext, BenchRecord } from './benchLine';

export interface GrammaticalSettings {
  preset: ModelPreset;
  trainer: 'cpu' | 'webgpu';
  /** webgpu: SwiftShader (a child process started for it) or the adapter Dawn finds here. */
  gpuAdapter?: 'swiftshader' | 'native';
  batch: number;
  /** Peak learning rate of the warm-up + cosine schedule. */
  lr: number;
  lrFloor: number;
  warmup: number;
  /** The most steps; it also sizes the cosine. */
  maxSteps: number;
  evalEvery: number;
  evalSamples: number;
  target: number;
  seed: number;
  workers: number;
  /** Where the package goes (a fresh temporary folder when absent). */
  out?: string;
}

/** The `npm run train` command line of the run. */
export function grammaticalTrainArgs(s: GrammaticalSettings, out: string): string[] {
  const m = MODEL_PRESETS[s.preset];
  return [
    ...['--id', `grammatical-${s.preset}-${s.trainer}`, '--out', out],
    ...['--corpus', 'toy-sentences', '--trainer', s.trainer, '--seed', String(s.seed)],
    ...['--d-model', String(m.dModel), '--heads', String(m.heads)],
    ...['--layers', String(m.layers), '--ffn', String(m.ffn)],
    ...['--batch', String(s.batch), '--steps', String(s.maxSteps), '--warmup', String(s.warmup)],
    ...['--lr', String(s.lr), '--lr-floor', String(s.lrFloor)],
    ...['--eval-every', String(s.evalEvery), '--eval-samples', String(s.evalSamples)],
    ...['--until-valid', String(s.target), '--workers', String(s.workers)],
    ...(s.trainer === 'webgpu' ? ['--gpu-adapter', s.gpuAdapter ?? 'swiftshader'] : []),
  ];
}

/** What the bench reads from the manifest's training record. */
export interface GrammaticalRecord {
  trainer: string;
  steps: number;
  trainSeconds: number;
  wallSeconds: number;
  evaluationSeconds: number;
  untilValid: ValidityTarget;
  validityCurve: { every: number; method: string; points: ValidityPoint[] };
}

/** The bench lines of one run: steps and seconds to the target, then the curve's points. */
export function grammaticalLines(
  record: GrammaticalRecord,
  s: GrammaticalSettings,
  context: BenchContext,
): BenchRecord[] {
  const u = record.untilValid;
  const common: BenchContext = {
    target: `>= ${s.target}`,
    met: u.met,
    trainer: record.trainer,
    backend: s.trainer,
    batch: s.batch,
    lr: s.lr,
    schedule: `warm-up ${s.warmup}, cosine to ${s.lrFloor} over ${s.maxSteps} steps`,
    maxSteps: s.maxSteps,
    evalEvery: record.validityCurve.every,
    validityMethod: record.validityCurve.method,
    ...context,
  };
  const last = record.validityCurve.points[record.validityCurve.points.length - 1];
  const lines: BenchRecord[] = [
    {
      bench: 'train',
      metric: 'steps_to_grammatical',
      value: u.step,
      unit: 'steps',
      how: u.met
        ? 'first measured step whose samples were grammatical at the target rate'
        : `not reached in ${record.steps} steps; best ${Math.max(...record.validityCurve.points.map((p) => p.validity))}`,
      stepsRun: record.steps,
      lastValidity: last?.validity ?? null,
      ...common,
    },
    {
      bench: 'train',
      metric: 'seconds_to_grammatical',
      value: u.trainSeconds,
      unit: 's',
      how: 'training wall time, validity measurements excluded',
      secondsWithEvaluation: u.wallSeconds,
      secondsRun: record.trainSeconds,
      secondsRunWithEvaluation: record.wallSeconds,
      evaluationSeconds: record.evaluationSeconds,
      ...common,
    },
  ];
  for (const p of record.validityCurve.points) {
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

/** Trains to the target and emits the lines; the exit code of the training run. */
export async function runGrammatical(
  s: GrammaticalSettings,
  io: BenchIo,
  context: BenchContext,
): Promise<number> {
  const out = s.out ?? fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-grammatical-'));
  const argv = grammaticalTrainArgs(s, out);
  io.progress(`train: grammatical: npm run train -- ${argv.join(' ')}\n`);
  const code = await runTrainCli(argv, { stdout: io.progress, stderr: io.progress });
  if (code !== 0) return code;
  const id = argv[argv.indexOf('--id') + 1];
  const manifest = JSON.parse(fs.readFileSync(path.join(out, id, 'manifest.json'), 'utf8')) as {
    training: GrammaticalRecord;
    architecture: ModelConfig;
  };
  const a = manifest.architecture;
  const size: BenchContext = {
    parameters: buildParameterLayout(a).total,
    dModel: a.dModel,
    heads: a.heads,
    layers: a.layers,
    ffn: a.ffn,
    package: path.join(out, id),
  };
  for (const line of grammaticalLines(manifest.training, s, { ...context, ...size })) io.emit(line);
  return 0;
}

/**
 * Runs the reversal test (reversalTasks.ts) over a couplet set for a diffusion model and its
 * autoregressive twin: every couplet, both directions, greedy decoding, batch 1. Exact-match
 * accuracy per model and direction over the couplets that could be posed (a couplet with a
 * character the model never saw, or too long for its window, is counted as skipped, with why).
 */
import type { Couplet } from '../corpus/couplets';
import {
  runSamplerToEnd,
  type LogitsModel,
  type SamplerInit,
  type SamplerOptions,
  type SamplerTrace,
} from '../sampler';
import {
  poseReversalTask,
  readAnswer,
  REVERSAL_DIRECTIONS,
  type CoupletModelInfo,
  type CoupletModelKind,
  type ReversalDirection,
  type ReversalTask,
} from './reversalTasks';

/**
 * A model the test can pose couplets to: what it is, and how to run the sampler on it to the
 * end (in the same thread over its logits, or next to the model in an inference worker).
 */
export interface CoupletModel extends CoupletModelInfo {
  sample(init: SamplerInit, options: SamplerOptions): Promise<SamplerTrace>;
}

/** Runs the sampler here, one logits call per step. */
export function samplerOver(model: LogitsModel): CoupletModel['sample'] {
  return (init, options) => runSamplerToEnd(model, init, options);
}

export interface ReversalOutcome {
  /** Index of the couplet in the evaluated list. */
  index: number;
  kind: CoupletModelKind;
  direction: ReversalDirection;
  given: string;
  expected: string;
  answer: string;
  correct: boolean;
  /** Model calls the answer took. */
  calls: number;
}

export interface ReversalSkip {
  index: number;
  kind: CoupletModelKind;
  direction: ReversalDirection;
  reason: string;
}

export interface ReversalScore {
  kind: CoupletModelKind;
  direction: ReversalDirection;
  correct: number;
  /** Couplets posed (skipped ones are not counted). */
  n: number;
  /** correct / n, or null when nothing could be posed. */
  accuracy: number | null;
}

export interface ReversalRun {
  trace: SamplerTrace;
  task: ReversalTask;
  outcome: Omit<ReversalOutcome, 'index'>;
}

/**
 * One couplet, one direction, one model: the sampler's whole trace and the judged answer.
 * `traceTopK` 0 skips the candidate lists a drill-down shows (faster for a whole evaluation).
 */
export async function runReversalTask(
  model: CoupletModel,
  task: ReversalTask,
  traceTopK?: number,
): Promise<ReversalRun> {
  const options = traceTopK === undefined ? task.options : { ...task.options, traceTopK };
  const trace = await model.sample(task.init, options);
  const answer = readAnswer(trace.final, task, model.vocab);
  return {
    trace,
    task,
    outcome: {
      kind: model.kind,
      direction: task.direction,
      given: task.given,
      expected: task.expected,
      answer,
      correct: answer === task.expected,
      calls: trace.records.length,
    },
  };
}

export interface ReversalEvaluationOptions {
  directions?: readonly ReversalDirection[];
  /** Called after every answer (for progress and live tables). */
  onOutcome?: (outcome: ReversalOutcome, done: number, total: number) => void;
  /** Stops between answers; the evaluation then rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface ReversalEvaluation {
  outcomes: ReversalOutcome[];
  skipped: ReversalSkip[];
  scores: ReversalScore[];
}

/** Accuracies from outcomes: one score per model kind and direction present in `pairs`. */
export function scoreOutcomes(
  outcomes: readonly ReversalOutcome[],
  pairs: readonly { kind: CoupletModelKind; direction: ReversalDirection }[],
): ReversalScore[] {
  return pairs.map(({ kind, direction }) => {
    const mine = outcomes.filter((o) => o.kind === kind && o.direction === direction);
    const correct = mine.filter((o) => o.correct).length;
    return {
      kind,
      direction,
      correct,
      n: mine.length,
      accuracy: mine.length === 0 ? null : correct / mine.length,
    };
  });
}

export async function evaluateReversal(
  couplets: readonly Couplet[],
  models: readonly CoupletModel[],
  options: ReversalEvaluationOptions = {},
): Promise<ReversalEvaluation> {
  const directions = options.directions ?? REVERSAL_DIRECTIONS;
  const outcomes: ReversalOutcome[] = [];
  const skipped: ReversalSkip[] = [];
  const jobs: { model: CoupletModel; task: ReversalTask; index: number }[] = [];
  for (const model of models) {
    for (const direction of directions) {
      couplets.forEach((couplet, index) => {
        const posed = poseReversalTask(couplet, direction, model);
        if (posed.ok) jobs.push({ model, task: posed.task, index });
        else skipped.push({ index, kind: model.kind, direction, reason: posed.reason });
      });
    }
  }
  for (const job of jobs) {
    options.signal?.throwIfAborted();
    const { outcome } = await runReversalTask(job.model, job.task, 0);
    const full = { index: job.index, ...outcome };
    outcomes.push(full);
    options.onOutcome?.(full, outcomes.length, jobs.length);
  }
  const pairs = models.flatMap((m) => directions.map((direction) => ({ kind: m.kind, direction })));
  return { outcomes, skipped, scores: scoreOutcomes(outcomes, pairs) };
}

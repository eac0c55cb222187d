/**
 * The run's loss history, bounded: what the worker keeps (and checkpoints) and the page draws.
 *
 * Up to LOSS_HISTORY_CAP points every step is a point of its own (the default run of 4,000
 * steps is kept whole). One step more and resolution halves: adjacent pairs merge into one
 * point, and from then on each new point covers 2 steps (then 4, 8, …). So the history never
 * holds more than the cap and always covers the whole run evenly: every point covers
 * `resolution` steps except the last, which fills up step by step (it is shown while it does,
 * so the chart never lags the run).
 *
 * Merged loss and lr are means weighted by the steps each part covers: the last point's span
 * differs from the others', and a weighted mean of means is the plain mean of the steps.
 *
 * The worker and the page hold the same history: both push the same per-step points through
 * pushLoss (the worker as steps finish, the page as progress reports bring them), from the same
 * start (the 'started' or 'rolledBack' message carries the worker's history).
 */
import type { LossPoint } from './trainingProtocol';

/** A point of the history: the mean over the `span` steps ending at `step`. */
export interface HistoryPoint extends LossPoint {
  /** Steps this point covers: step − span + 1 … step. */
  span: number;
}

/**
 * Points kept at most; even, so a full history halves into whole pairs. Above the default run's
 * 4,000 steps; at the largest run (MAX_TRAINING_STEPS, 1,000,000) a point covers 256 steps.
 */
export const LOSS_HISTORY_CAP = 4096;

/** The steps each point but the last covers (1 until the history first halves). */
export function historyResolution(history: readonly HistoryPoint[]): number {
  return history.length ? history[0].span : 1;
}

function merged(a: HistoryPoint, b: HistoryPoint): HistoryPoint {
  const span = a.span + b.span;
  return {
    step: b.step,
    loss: (a.loss * a.span + b.loss * b.span) / span,
    lr: (a.lr * a.span + b.lr * b.span) / span,
    span,
  };
}

/** Merges adjacent pairs in place; an odd last point stays as it is (it is the partial one). */
function halve(history: HistoryPoint[]): void {
  let kept = 0;
  for (let i = 0; i + 1 < history.length; i += 2)
    history[kept++] = merged(history[i], history[i + 1]);
  if (history.length % 2) history[kept++] = history[history.length - 1];
  history.length = kept;
}

/**
 * Appends one step's loss (or a stored point, span and all, when a history is rebuilt) in place:
 * O(1) amortised (a halving costs O(cap) and comes after cap/2 new points). Point objects are
 * never changed, only replaced, so an array copied before this call (the page's previous
 * state) still shows what it showed.
 */
export function pushLoss(
  history: HistoryPoint[],
  point: LossPoint | HistoryPoint,
  cap = LOSS_HISTORY_CAP,
): void {
  const p: HistoryPoint = {
    step: point.step,
    loss: point.loss,
    lr: point.lr,
    span: 'span' in point ? point.span : 1,
  };
  const last = history.at(-1);
  if (last && last.span + p.span <= historyResolution(history)) {
    history[history.length - 1] = merged(last, p);
    return;
  }
  history.push(p);
  if (history.length > cap) halve(history);
}

/**
 * A history from stored points: a checkpoint's (kept point for point), or one written before
 * the history was bounded (one point per step, however many: thinned exactly as the run would
 * have thinned them).
 */
export function restoreHistory(
  points: readonly (LossPoint | HistoryPoint)[],
  cap = LOSS_HISTORY_CAP,
): HistoryPoint[] {
  const history: HistoryPoint[] = [];
  for (const p of points) pushLoss(history, p, cap);
  return history;
}

/**
 * The page's update for one progress report: a new array (the store sees a change) holding the
 * history after these points. It copies the history once per report, at most cap points, not
 * once per step.
 */
export function withLosses(
  history: readonly HistoryPoint[],
  points: readonly LossPoint[],
  cap = LOSS_HISTORY_CAP,
): readonly HistoryPoint[] {
  if (!points.length) return history;
  const next = history.slice();
  for (const p of points) pushLoss(next, p, cap);
  return next;
}

/** Where a point sits on a step axis: the middle of the steps it covers (its step for one). */
export function historyX(p: HistoryPoint): number {
  return p.step - (p.span - 1) / 2;
}

import { nllFromLogits } from '../articleLoss';
import type { Denoiser } from '../denoiser';
import type { Rng } from '../rng';
import { RunningMoments } from '../runningMoments';
import { drawElboMask, type ElboDraw, type ElboForm } from './elboDraw';
import { checkSpan, spanLength, type ScoredSpan } from './scoredSpan';

/**
 * The Monte Carlo estimate of a masked-diffusion model's negative ELBO for one window: draws
 * masks (elboDraw.ts), runs many masked copies per model call, and reports the running mean and
 * its standard error after every call, so a chart can show the estimate settle as n grows.
 */

export interface NegativeElboOptions {
  form: ElboForm;
  /** Draws in all. */
  samples: number;
  /** Masked copies per model call (the batch). */
  rowsPerCall: number;
  /** Pass each draw's t to the model (a time-conditioned graph). */
  timeInput: boolean;
}

/** The estimate after n draws, in nats over the whole span. */
export interface ElboPoint {
  n: number;
  mean: number;
  /** sqrt(sample variance / n); 0 until there are two draws. */
  standardError: number;
  calls: number;
}

export interface NegativeElboEstimate extends ElboPoint {
  /** Scored tokens N; mean / N is nats per token. */
  tokens: number;
  form: ElboForm;
  /** One point per model call (and one for trailing draws that needed no call). */
  trajectory: ElboPoint[];
}

/** One draw's sample of the bound, from the logits row block of its masked copy. */
export function drawValue(
  draw: ElboDraw,
  window: ArrayLike<number>,
  logits: ArrayLike<number>,
  rowOffset: number,
  vocabSize: number,
): number {
  let sum = 0;
  for (const i of draw.positions) {
    sum += nllFromLogits(logits, window[i], rowOffset + i * vocabSize, vocabSize);
  }
  return draw.weight * sum;
}

function checkOptions(o: NegativeElboOptions) {
  for (const [name, v] of [
    ['samples', o.samples],
    ['rowsPerCall', o.rowsPerCall],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be ≥ 1, got ${v}`);
  }
}

/**
 * Yields a point after every model call and returns the final estimate. Draw k is the k-th
 * draw from `rng` whatever the batch size, so the numbers depend on the seed only.
 */
export async function* estimateNegativeElbo(
  denoiser: Denoiser,
  window: Int32Array,
  span: ScoredSpan,
  options: NegativeElboOptions,
  rng: Rng,
): AsyncGenerator<ElboPoint, NegativeElboEstimate> {
  checkOptions(options);
  const { seqLen: L, vocabSize: V, maskId } = denoiser;
  if (window.length !== L) {
    throw new RangeError(`the window has ${window.length} tokens; the model's is ${L}`);
  }
  checkSpan(span, L);
  const moments = new RunningMoments();
  const trajectory: ElboPoint[] = [];
  let calls = 0;
  const point = (): ElboPoint => ({
    n: moments.count,
    mean: moments.mean,
    standardError: Math.sqrt(moments.variance / moments.count),
    calls,
  });

  let drawn = 0;
  while (drawn < options.samples) {
    // Fill one batch with draws that need the model; empty masks are exact zeros.
    const batch: ElboDraw[] = [];
    while (batch.length < options.rowsPerCall && drawn < options.samples) {
      const draw = drawElboMask(span, options.form, rng);
      drawn++;
      if (draw.positions.length === 0) moments.push(0);
      else batch.push(draw);
    }
    if (batch.length === 0) {
      trajectory.push(point());
      yield trajectory[trajectory.length - 1];
      continue;
    }
    const tokens = new Int32Array(batch.length * L);
    const t = new Float32Array(batch.length);
    batch.forEach((draw, b) => {
      tokens.set(window, b * L);
      for (const i of draw.positions) tokens[b * L + i] = maskId;
      t[b] = draw.t;
    });
    const logits = await denoiser.logits(tokens, batch.length, options.timeInput ? t : undefined);
    if (logits.length !== batch.length * L * V) {
      throw new Error(
        `the model returned ${logits.length} logits, expected ${batch.length} × ${L} × ${V}`,
      );
    }
    calls++;
    batch.forEach((draw, b) => moments.push(drawValue(draw, window, logits, b * L * V, V)));
    trajectory.push(point());
    yield trajectory[trajectory.length - 1];
  }
  return { ...point(), tokens: spanLength(span), form: options.form, trajectory };
}

import type { Rng } from '../rng';
import { spanLength, type ScoredSpan } from './scoredSpan';

/**
 * One Monte Carlo draw of the masked-diffusion likelihood bound over a span of N tokens:
 *   −log p(x_span | rest) ≤ E[ w · Σ_{i masked} −log p_θ(x_i | x_masked) ],
 * in two forms:
 *
 * - 'llada' (LLaDA's evaluation, their Eq. 6): the number of masked tokens l is uniform in
 *   1..N, the l positions are a uniform subset, w = N / l, and the model is told t = l / N.
 * - 'article' (the continuous-time form the article trains with, elboBound.ts): t ~ U(0, 1],
 *   each position masked independently with probability t, w = 1 / t, the model is told t. A
 *   draw with nothing masked contributes exactly 0 and needs no model call.
 *
 * Both are unbiased for the same bound; the LLaDA form never wastes a draw on an empty mask and
 * never weights a single masked token by a huge 1/t, so its variance is lower.
 */
export type ElboForm = 'llada' | 'article';

export const ELBO_FORMS: readonly ElboForm[] = ['llada', 'article'];

export interface ElboDraw {
  /** The masked positions, absolute in the window, ascending. */
  positions: number[];
  /** The masking ratio passed to a time-conditioned model. */
  t: number;
  /** w: the sum of the masked tokens' −log p times w is one sample of the bound (nats). */
  weight: number;
}

/** l of the N span positions, a uniform subset (partial Fisher–Yates), ascending. */
function uniformSubset(span: ScoredSpan, l: number, rng: Rng): number[] {
  const pool = Array.from({ length: spanLength(span) }, (_, i) => span.from + i);
  for (let k = 0; k < l; k++) {
    const j = k + rng.int(pool.length - k);
    [pool[k], pool[j]] = [pool[j], pool[k]];
  }
  return pool.slice(0, l).sort((a, b) => a - b);
}

export function drawElboMask(span: ScoredSpan, form: ElboForm, rng: Rng): ElboDraw {
  const n = spanLength(span);
  if (form === 'llada') {
    const l = 1 + rng.int(n);
    return { positions: uniformSubset(span, l, rng), t: l / n, weight: n / l };
  }
  // 1 − U[0, 1) lies in (0, 1]: t = 0 would divide by zero.
  const t = 1 - rng.uniform();
  const positions: number[] = [];
  for (let i = span.from; i < span.to; i++) if (rng.uniform() < t) positions.push(i);
  return { positions, t, weight: 1 / t };
}

import type { MomentsSummary } from './runningMoments';

/**
 * The article's objective averaged over t ~ U(0, 1) is the continuous-time negative ELBO:
 *   −(1/L) log p_θ(x₀) ≤ ∫₀¹ E_{x_t ~ q(·|x₀)} [ 1/(t·L) Σ_{i masked} −log p_θ(x₀ⁱ | x_t) ] dt,
 * in nats per token. This file turns a loss-against-t curve, sampled at the midpoints of equal
 * slices of (0, 1), into that integral, its Monte Carlo standard error, and the perplexity bound.
 */

/** Midpoints of `bins` equal slices of (0, 1); they avoid t = 0, where 1/t is undefined. */
export function midpointGrid(bins: number): number[] {
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`bins must be ≥ 1, got ${bins}`);
  return Array.from({ length: bins }, (_, j) => (j + 0.5) / bins);
}

export interface IntegralEstimate {
  value: number;
  /** Standard error of `value` from the bins' sample variances (bins sampled independently). */
  standardError: number;
}

/**
 * ∫₀¹ f(t) dt by the midpoint rule, from one Monte Carlo estimate of f per slice of a
 * midpointGrid: (1/n) Σ_j mean_j, with variance (1/n²) Σ_j variance_j / count_j.
 */
export function integrateMidpoint(bins: readonly MomentsSummary[]): IntegralEstimate {
  if (bins.length === 0) throw new RangeError('need at least one bin to integrate');
  let sum = 0;
  let varianceOfSum = 0;
  for (const b of bins) {
    if (b.count === 0) throw new RangeError('every bin needs at least one sample');
    sum += b.mean;
    varianceOfSum += b.variance / b.count;
  }
  const n = bins.length;
  return { value: sum / n, standardError: Math.sqrt(varianceOfSum) / n };
}

/** A bound of B nats per token on −(1/L) log p bounds the perplexity by e^B. */
export function perplexityBound(natsPerToken: number): number {
  return Math.exp(natsPerToken);
}

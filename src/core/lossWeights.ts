/**
 * How the masked-token losses of a batch are combined, in one place for the CPU reference,
 * the WGSL trainer and the explorer.
 *
 * - 'elbo': the article's objective, −1/(t·L) Σ_masked log p, averaged over the batch. The 1/t
 *   weight is what makes it a bound on the negative log-likelihood.
 * - 'mean': the plain mean over every masked position in the batch (the article's PyTorch
 *   loop, `F.cross_entropy(logits[mask], x0[mask])`).
 */
export type LossWeighting = 'elbo' | 'mean';

/** Per-position weights, [batch * length]; zero where the position is not masked. */
export function maskedLossWeights(
  masked: ArrayLike<number | boolean>,
  batch: number,
  length: number,
  t: ArrayLike<number>,
  weighting: LossWeighting,
): Float64Array {
  const w = new Float64Array(batch * length);
  if (weighting === 'elbo') {
    for (let b = 0; b < batch; b++) {
      if (!(t[b] > 0)) throw new Error(`t must be > 0 for the elbo weighting, got ${t[b]}`);
      const scale = 1 / (t[b] * length * batch);
      for (let i = 0; i < length; i++) if (masked[b * length + i]) w[b * length + i] = scale;
    }
    return w;
  }
  let count = 0;
  for (let j = 0; j < batch * length; j++) if (masked[j]) count++;
  if (count === 0) return w;
  for (let j = 0; j < batch * length; j++) if (masked[j]) w[j] = 1 / count;
  return w;
}

/**
 * The EB-Sampler's cut (entropy-bounded unmasking, Ben-Hamu et al. 2025, as in omerlux/DUS
 * `generate_eb_sampler`). With the candidates' entropies sorted ascending h_0 ≤ h_1 ≤ …,
 * acc_i = h_0 + … + h_i and d_i = acc_i − h_i (that float64 subtraction): k = the number of i
 * with d_i ≤ γ, then max(1, min(k, candidates)). In words: a candidate is taken when the
 * entropies of the candidates before it sum to at most γ bits; d_0 = 0, so one always is.
 */
export function entropyBoundCount(sortedEntropies: readonly number[], gamma: number): number {
  const n = sortedEntropies.length;
  if (n === 0) return 0;
  let acc = 0;
  let k = 0;
  for (const h of sortedEntropies) {
    acc += h;
    if (acc - h <= gamma) k++;
  }
  return Math.max(1, Math.min(k, n));
}

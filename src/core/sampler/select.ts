/**
 * The k most confident candidates (torch.topk over the candidates' confidences). Upstream ties
 * are broken arbitrarily; we break them by position, lower first, so runs are reproducible.
 */
export function candidatePositions(candidates: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i < candidates.length; i++) if (candidates[i]) out.push(i);
  return out;
}

/** Candidate positions sorted by decreasing confidence (then by position). */
export function byConfidence(candidates: Uint8Array, confidence: ArrayLike<number>): number[] {
  return candidatePositions(candidates).sort((a, b) => {
    const ca = confidence[a];
    const cb = confidence[b];
    if (ca === cb) return a - b;
    return cb > ca ? 1 : -1; // comparison, not subtraction: −∞ − −∞ would be NaN
  });
}

export function mostConfident(
  candidates: Uint8Array,
  confidence: ArrayLike<number>,
  k: number,
): number[] {
  return byConfidence(candidates, confidence).slice(0, Math.max(0, k));
}

/**
 * Confidence rules: how sure the model is at one position, higher = more sure. Candidates are
 * committed in decreasing order of confidence.
 *
 * - 'probability': probability of the predicted token (LLaDA low_confidence, Fast-dLLM,
 *   Dream maskgit_plus, the article; for a greedy prediction this is the largest probability).
 * - 'margin': largest minus second-largest probability (Dream topk_margin).
 * - 'negEntropy': Σ_v p_v · ln(p_v + 1e−10), the negative entropy (Dream entropy).
 * - 'negEntropyBits': Σ_v p_v · log2(p_v + 1e−10), the same in bits (the EB-Sampler's γ is in
 *   bits).
 * - 'random': a uniform draw, ignoring the model (LLaDA random remasking).
 */
export type ConfidenceRule = 'probability' | 'margin' | 'negEntropy' | 'negEntropyBits' | 'random';

export function probabilityOf(probs: ArrayLike<number>, token: number): number {
  return probs[token];
}

export function topTwoMargin(probs: ArrayLike<number>): number {
  let first = -Infinity;
  let second = -Infinity;
  for (let v = 0; v < probs.length; v++) {
    const p = probs[v];
    if (p > first) {
      second = first;
      first = p;
    } else if (p > second) {
      second = p;
    }
  }
  return second === -Infinity ? first : first - second;
}

/** Dream adds 1e−10 inside the log so that zero probabilities contribute 0, not NaN. */
export function negativeEntropy(probs: ArrayLike<number>): number {
  let sum = 0;
  for (let v = 0; v < probs.length; v++) sum += probs[v] * Math.log(probs[v] + 1e-10);
  return sum;
}

/** The EB-Sampler's entropy, negated: −H in bits, with the same 1e−10 inside the log. */
export function negativeEntropyBits(probs: ArrayLike<number>): number {
  let sum = 0;
  for (let v = 0; v < probs.length; v++) sum += probs[v] * Math.log2(probs[v] + 1e-10);
  return sum;
}

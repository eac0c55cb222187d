/**
 * Which tokens of a window the likelihood lab scores, the same for both models so their numbers
 * can be set side by side.
 *
 * The autoregressive twin has no beginning-of-sentence token: its logits at position i predict
 * token i + 1, so nothing predicts the first token. Both models are therefore scored on
 *   −log p(x₂, …, x_L | x₁),
 * the window's tokens after the first (the remaining words, the first [EOS] and the [EOS] fill
 * to the end of the window), given the first word. The diffusion model sees x₁ unmasked in every
 * draw and masks only among the scored positions.
 */
export interface ScoredSpan {
  /** First scored position (0-based). */
  from: number;
  /** One past the last scored position. */
  to: number;
}

/** Positions [1, seqLen): everything but the first token. */
export function conditionalOnFirstToken(seqLen: number): ScoredSpan {
  if (!Number.isInteger(seqLen) || seqLen < 2) {
    throw new RangeError(
      `a window needs at least 2 tokens to score any given the first, got ${seqLen}`,
    );
  }
  return { from: 1, to: seqLen };
}

export function spanLength(span: ScoredSpan): number {
  return span.to - span.from;
}

export function checkSpan(span: ScoredSpan, seqLen: number): void {
  const { from, to } = span;
  if (!(Number.isInteger(from) && Number.isInteger(to) && 0 <= from && from < to && to <= seqLen)) {
    throw new RangeError(
      `scored span [${from}, ${to}) is not a non-empty part of a ${seqLen}-token window`,
    );
  }
}

import { nllFromLogits } from '../articleLoss';
import type { Denoiser } from '../denoiser';
import { checkSpan, type ScoredSpan } from './scoredSpan';

/**
 * The autoregressive twin's exact negative log-likelihood of a span, from one causal forward pass
 * over the whole window: the logits at position i predict token i + 1, so
 *   −log p(x_span | x_<from) = Σ_{i ∈ span} −log softmax(logits[i − 1])[x_i].
 */

export interface AutoregressiveNll {
  /** Nats over the span. */
  total: number;
  /** −log p of each scored token, in span order. */
  perToken: number[];
}

/** From the logits of a causal model on the window; the span must start at position 1 or later. */
export function nllFromCausalLogits(
  logits: ArrayLike<number>,
  window: ArrayLike<number>,
  vocabSize: number,
  span: ScoredSpan,
): AutoregressiveNll {
  checkSpan(span, window.length);
  if (span.from < 1) {
    throw new RangeError('nothing predicts the first token of a window without a start token');
  }
  if (logits.length !== window.length * vocabSize) {
    throw new Error(
      `${logits.length} logits for a ${window.length}-token window of vocabulary ${vocabSize}`,
    );
  }
  const perToken: number[] = [];
  for (let i = span.from; i < span.to; i++) {
    perToken.push(nllFromLogits(logits, window[i], (i - 1) * vocabSize, vocabSize));
  }
  return { total: perToken.reduce((a, b) => a + b, 0), perToken };
}

/** One model call (batch 1, no t: the twin has no time input). */
export async function autoregressiveNll(
  model: Denoiser,
  window: Int32Array,
  span: ScoredSpan,
): Promise<AutoregressiveNll> {
  if (window.length !== model.seqLen) {
    throw new RangeError(`the window has ${window.length} tokens; the model's is ${model.seqLen}`);
  }
  const logits = await model.logits(window, 1);
  return nllFromCausalLogits(logits, window, model.vocabSize, span);
}

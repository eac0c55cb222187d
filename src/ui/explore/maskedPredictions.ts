import { meanLossFromProbs, weightedLossFromProbs } from '../../core/articleLoss';
import { softmaxRow } from '../../core/sampler/softmax';

/**
 * What the model says at each masked position of one window: the probability of the true
 * token, its −log, and the model's top guesses; then the loss both ways (src/core/articleLoss).
 */

export interface Guess {
  id: number;
  p: number;
}

export interface MaskedPrediction {
  position: number;
  trueId: number;
  p: number;
  nll: number;
  top: Guess[];
}

/** logits: [seqLen * V] of one row; x0: the clean window; masked: [seqLen]. */
export function maskedPredictions(
  logits: ArrayLike<number>,
  x0: ArrayLike<number>,
  masked: readonly boolean[],
  vocabSize: number,
  topK: number,
): MaskedPrediction[] {
  if (logits.length !== x0.length * vocabSize) {
    throw new Error(`expected ${x0.length} × ${vocabSize} logits, got ${logits.length}`);
  }
  const probs = new Float64Array(vocabSize);
  const out: MaskedPrediction[] = [];
  for (let i = 0; i < x0.length; i++) {
    if (!masked[i]) continue;
    softmaxRow(logits, i * vocabSize, vocabSize, probs);
    const order = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a] || a - b);
    const p = probs[x0[i]];
    out.push({
      position: i,
      trueId: x0[i],
      p,
      nll: -Math.log(p),
      top: order.slice(0, topK).map((id) => ({ id, p: probs[id] })),
    });
  }
  return out;
}

export interface LossBothWays {
  /** −1/(t·L) Σ log p; null at t = 0, where the weight is undefined. */
  weighted: number | null;
  /** −(1/k) Σ log p; null with nothing masked. */
  plain: number | null;
  sumNll: number;
}

export function lossBothWays(predictions: readonly MaskedPrediction[], t: number, L: number) {
  const probs = predictions.map((m) => m.p);
  return {
    weighted: t > 0 ? weightedLossFromProbs(probs, t, L) : null,
    plain: probs.length > 0 ? meanLossFromProbs(probs) : null,
    sumNll: predictions.reduce((s, m) => s + m.nll, 0),
  } satisfies LossBothWays;
}

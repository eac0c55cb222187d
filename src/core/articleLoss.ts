import { maskedLossWeights, type LossWeighting } from './lossWeights';

/**
 * The article's training loss, in float64, for checking numbers by hand and for the CPU
 * reference:
 *   L = −1/(t·L) Σ_{i masked} log p_θ(x_0^i | x_t)
 * ("elbo" weighting), next to the plain mean over masked positions that the article's
 * PyTorch loop computes ("mean"). How a batch is weighted lives in lossWeights.ts only.
 */

/** The elbo loss of one sequence from the probabilities given to the true tokens. */
export function weightedLossFromProbs(
  probsOfTrueTokenAtMasked: readonly number[],
  t: number,
  length: number,
): number {
  if (!(t > 0)) throw new RangeError(`t must be > 0, got ${t}`);
  if (probsOfTrueTokenAtMasked.length === 0) return 0;
  let sum = 0;
  for (const p of probsOfTrueTokenAtMasked) sum += Math.log(p);
  return -sum / (t * length);
}

/** The plain mean of −log p over the masked positions; 0 when nothing is masked. */
export function meanLossFromProbs(probsOfTrueTokenAtMasked: readonly number[]): number {
  const n = probsOfTrueTokenAtMasked.length;
  if (n === 0) return 0;
  let sum = 0;
  for (const p of probsOfTrueTokenAtMasked) sum += Math.log(p);
  return -sum / n;
}

/**
 * The row's max and log Σ exp(logit − max). Callers subtract the max from a logit before
 * anything else so that large logits keep their precision (1000.7 − 1000 loses digits that
 * (1000 − 1000) − 0.7 keeps) and cannot overflow.
 */
function shiftedLogSumExp(logits: ArrayLike<number>, offset: number, n: number) {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, logits[offset + i]);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += Math.exp(logits[offset + i] - max);
  return { max, logSum: Math.log(sum) };
}

/** log softmax of one row of logits. */
export function logSoftmaxRow(logits: ArrayLike<number>): Float64Array {
  const n = logits.length;
  if (n === 0) throw new Error('logSoftmaxRow needs at least one logit');
  const { max, logSum } = shiftedLogSumExp(logits, 0, n);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = logits[i] - max - logSum;
  return out;
}

/** −log softmax(logits)[target] of the row at `offset`: the cross-entropy of one position. */
export function nllFromLogits(
  logits: ArrayLike<number>,
  target: number,
  offset = 0,
  vocabSize = logits.length - offset,
): number {
  if (offset < 0 || vocabSize <= 0 || offset + vocabSize > logits.length) {
    throw new RangeError(
      `row [${offset}, ${offset + vocabSize}) is outside ${logits.length} logits`,
    );
  }
  if (!Number.isInteger(target) || target < 0 || target >= vocabSize) {
    throw new RangeError(`target ${target} is outside the row of ${vocabSize} logits`);
  }
  const { max, logSum } = shiftedLogSumExp(logits, offset, vocabSize);
  return logSum - (logits[offset + target] - max);
}

export interface MaskedLossInput {
  /** [batch * length * vocabSize], row-major. */
  logits: ArrayLike<number>;
  /** x0, [batch * length]. */
  targets: ArrayLike<number>;
  /** [batch * length]; truthy where the position was masked. */
  masked: ArrayLike<number | boolean>;
  batch: number;
  length: number;
  vocabSize: number;
  /** One masking ratio per row, [batch]. */
  t: ArrayLike<number>;
  weighting: LossWeighting;
}

/** The batch loss Σ_j w_j · nll_j, with the weights of lossWeights.ts. */
export function maskedLossFromLogits(input: MaskedLossInput): number {
  const { logits, targets, masked, batch, length, vocabSize, t, weighting } = input;
  const positions = batch * length;
  if (logits.length !== positions * vocabSize || targets.length !== positions) {
    throw new Error(
      `shape mismatch: ${logits.length} logits and ${targets.length} targets for ` +
        `batch ${batch} × length ${length} × vocab ${vocabSize}`,
    );
  }
  const weights = maskedLossWeights(masked, batch, length, t, weighting);
  let loss = 0;
  for (let j = 0; j < positions; j++) {
    if (weights[j] === 0) continue;
    loss += weights[j] * nllFromLogits(logits, targets[j], j * vocabSize, vocabSize);
  }
  return loss;
}

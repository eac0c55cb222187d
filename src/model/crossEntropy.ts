import type { FloatArray } from './parameterLayout';
import { simdKernels } from './wasm/simdKernels';

function checkTarget(target: number, n: number, vocab: number): number {
  if (!(target >= 0 && target < vocab)) {
    throw new Error(`target ${target} at position ${n} is outside the vocabulary [0, ${vocab})`);
  }
  return target;
}

/**
 * loss = Σ_n weights[n] · (−log softmax(logits_n)[targets[n]]) over positions n, and
 * dLogits = ∂loss/∂logits = weights[n] · (softmax(logits_n) − onehot(targets[n])).
 *
 * The weights carry the whole reduction (see src/core/lossWeights.ts: the ELBO's 1/(t·L·batch)
 * or 1/count for a plain mean), so this function never divides by anything itself. Positions
 * with weight 0 contribute nothing, their dLogits are exact zeros and their target is not read
 * (it may be −1). logsumexp subtracts the row maximum, so large logits cannot overflow; the loss
 * is summed in float64 whatever the element type. dLogits has the element type of logits.
 * positionLoss holds each position's weighted term (its sum is `loss`), so a caller can split the
 * loss by window, e.g. to chart it against each row's masking ratio. Float32 logits take their
 * softmax from the WebAssembly SIMD kernel (wasm/kernelsWat.ts).
 */
export function maskedCrossEntropy<T extends FloatArray>(
  logits: T,
  targets: Int32Array,
  weights: ArrayLike<number>,
  vocab: number,
): { loss: number; dLogits: T; positionLoss: Float64Array } {
  const positions = targets.length;
  if (logits.length !== positions * vocab) {
    throw new Error(
      `logits hold ${logits.length} values, but ${positions} targets × ${vocab} vocab = ${positions * vocab}`,
    );
  }
  if (weights.length !== positions) {
    throw new Error(`weights hold ${weights.length} values for ${positions} targets`);
  }
  const dLogits = new (logits.constructor as new (n: number) => T)(logits.length);
  const positionLoss = new Float64Array(positions);
  const simd = logits instanceof Float32Array ? simdKernels() : null;
  if (simd) {
    // The softmax of every row in WebAssembly (f32x4 exp), then the weights here.
    const stats = new Float32Array(2 * positions);
    simd.softmaxRows(dLogits as Float32Array, logits as Float32Array, stats, positions, vocab);
    let loss = 0;
    for (let n = 0; n < positions; n++) {
      const w = weights[n];
      const o = n * vocab;
      if (w === 0) {
        dLogits.fill(0, o, o + vocab);
        continue;
      }
      const target = checkTarget(targets[n], n, vocab);
      const logSumExp = stats[2 * n] + Math.log(stats[2 * n + 1]);
      positionLoss[n] = w * (logSumExp - logits[o + target]);
      loss += positionLoss[n];
      for (let v = 0; v < vocab; v++) dLogits[o + v] *= w;
      dLogits[o + target] -= w;
    }
    return { loss, dLogits, positionLoss };
  }
  let loss = 0;
  for (let n = 0; n < positions; n++) {
    const w = weights[n];
    if (w === 0) continue;
    const target = checkTarget(targets[n], n, vocab);
    const o = n * vocab;
    let max = -Infinity;
    for (let v = 0; v < vocab; v++) if (logits[o + v] > max) max = logits[o + v];
    let sum = 0;
    for (let v = 0; v < vocab; v++) sum += Math.exp(logits[o + v] - max);
    const logSumExp = max + Math.log(sum);
    positionLoss[n] = w * (logSumExp - logits[o + target]);
    loss += positionLoss[n];
    for (let v = 0; v < vocab; v++) dLogits[o + v] = w * Math.exp(logits[o + v] - logSumExp);
    dLogits[o + target] -= w;
  }
  return { loss, dLogits, positionLoss };
}

/**
 * Float64 softmax helpers. Every probability the sampler reasons about goes through here so that
 * the goldens (which were made with float64 softmax over all V logits) are reproduced exactly.
 */
export type Logits = Float32Array | Float64Array;

/** Softmax of row `row` of a [rows × V] logits array into `out` (length V). −∞ logits get 0. */
export function softmaxRow(
  logits: ArrayLike<number>,
  offset: number,
  vocab: number,
  out: Float64Array,
): Float64Array {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) if (logits[offset + v] > max) max = logits[offset + v];
  if (max === -Infinity) throw new Error('softmax of a row whose logits are all −∞');
  let sum = 0;
  for (let v = 0; v < vocab; v++) {
    const e = Math.exp(logits[offset + v] - max);
    out[v] = e;
    sum += e;
  }
  for (let v = 0; v < vocab; v++) out[v] /= sum;
  return out;
}

/** Index of the largest value; the first one on ties (as torch.argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

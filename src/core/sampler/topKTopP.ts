/**
 * Top-k and top-p (nucleus) filtering of one row of logits, in place: removed entries become −∞.
 * Applied after the temperature division and before sampling. Dream applies top-p first and
 * then top-k; we keep that order since Dream is the upstream sampler that has both knobs.
 */
import { softmaxRow } from './softmax';

/** Keep every logit ≥ the k-th largest (ties at the boundary are kept, as Dream's top_k_logits). */
export function filterTopK(row: Float64Array, k: number): Float64Array {
  if (!Number.isInteger(k) || k < 1) throw new Error(`topK must be an integer ≥ 1, got ${k}`);
  if (k >= row.length) return row;
  const sorted = Float64Array.from(row).sort();
  const kth = sorted[sorted.length - k];
  for (let v = 0; v < row.length; v++) if (row[v] < kth) row[v] = -Infinity;
  return row;
}

/**
 * Keep the smallest set of most probable tokens whose total probability is ≥ p: walking the
 * tokens from most to least probable, a token is kept while the mass before it is < p. Equal
 * probabilities are ordered by token id, so the result is deterministic.
 */
export function filterTopP(row: Float64Array, p: number): Float64Array {
  if (!(p > 0 && p <= 1)) throw new Error(`topP must be in (0, 1], got ${p}`);
  if (p === 1) return row;
  const probs = softmaxRow(row, 0, row.length, new Float64Array(row.length));
  const order = Array.from(row.keys()).sort((a, b) => probs[b] - probs[a] || a - b);
  let before = 0;
  let cut = order.length;
  for (let r = 0; r < order.length; r++) {
    if (before >= p) {
      cut = r;
      break;
    }
    before += probs[order[r]];
  }
  for (let r = cut; r < order.length; r++) row[order[r]] = -Infinity;
  return row;
}

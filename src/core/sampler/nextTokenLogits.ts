/**
 * A next-token (causal) model puts at position i its distribution for the token at i + 1 (it is
 * trained with target x0[i + 1] at i, src/model/cpuTrainer.ts `nextTokenBatch`). The sampler
 * reads predictions per position, so for such a model the rows move one place to the right:
 * row i of the result is the model's row i − 1. Row 0 has nothing that predicts it and is left
 * at 0 (a uniform distribution); autoregressive decoding never commits position 0.
 */
import type { Logits } from './softmax';

export function nextTokenRows(logits: Logits, length: number, vocab: number): Float64Array {
  if (logits.length !== length * vocab) {
    throw new Error(`logits length ${logits.length} is not ${length} × ${vocab}`);
  }
  const out = new Float64Array(length * vocab);
  out.set(logits.subarray(0, (length - 1) * vocab), vocab);
  return out;
}

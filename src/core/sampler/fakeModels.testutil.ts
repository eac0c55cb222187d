/**
 * Fake logits sources for the sampler tests (not used by the app).
 */
import { Rng } from '../rng';
import type { LogitsModel } from './driver';

/**
 * Logits whose softmax puts probability `prob` on `token` at each position and spreads the rest
 * evenly over the other non-mask tokens; the mask id gets −∞. `rows[call][position]`.
 */
export function tableLogits(
  vocab: number,
  maskId: number,
  row: readonly { token: number; prob: number }[],
): Float64Array {
  const out = new Float64Array(row.length * vocab);
  row.forEach(({ token, prob }, i) => {
    const rest = Math.log((1 - prob) / (vocab - 2));
    for (let v = 0; v < vocab; v++) {
      out[i * vocab + v] = v === maskId ? -Infinity : v === token ? Math.log(prob) : rest;
    }
  });
  return out;
}

/** A model that returns the call-th table row, whatever the tokens; records what it was given. */
export function tableModel(
  vocab: number,
  maskId: number,
  rows: readonly (readonly { token: number; prob: number }[])[],
): LogitsModel & { inputs: number[][]; times: (number | null)[] } {
  const inputs: number[][] = [];
  const times: (number | null)[] = [];
  return {
    vocabSize: vocab,
    maskId,
    seqLen: rows[0].length,
    inputs,
    times,
    async logits(tokens, _batch, t) {
      const call = inputs.length;
      inputs.push(Array.from(tokens));
      times.push(t ? t[0] : null);
      return tableLogits(vocab, maskId, rows[Math.min(call, rows.length - 1)]);
    },
  };
}

/**
 * Pseudo-random logits that depend on the whole input sequence (so they change as tokens are
 * committed), reproducible from `seed`. Float32, as a real Denoiser returns.
 */
export function randomModel(
  vocab: number,
  seqLen: number,
  maskId: number,
  seed: number,
  scale = 3,
): LogitsModel {
  return {
    vocabSize: vocab,
    seqLen,
    maskId,
    async logits(tokens) {
      let h = seed >>> 0;
      for (let j = 0; j < tokens.length; j++) h = (Math.imul(h ^ tokens[j], 0x9e3779b1) + j) >>> 0;
      const rng = new Rng(h);
      const out = new Float32Array(tokens.length * vocab);
      for (let k = 0; k < out.length; k++) out[k] = scale * rng.normal();
      return out;
    },
  };
}

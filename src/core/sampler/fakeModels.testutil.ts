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

/**
 * A model that returns the call-th table row, whatever the tokens (cut to the input's length, so
 * it answers a prefix call with the prefix's rows); records what it was given. `acceptsPrefix`
 * as in LogitsModel.
 */
export function tableModel(
  vocab: number,
  maskId: number,
  rows: readonly (readonly { token: number; prob: number }[])[],
  acceptsPrefix = false,
): LogitsModel & { inputs: number[][]; times: (number | null)[] } {
  const inputs: number[][] = [];
  const times: (number | null)[] = [];
  return {
    vocabSize: vocab,
    maskId,
    seqLen: rows[0].length,
    acceptsPrefix,
    inputs,
    times,
    async logits(tokens, _batch, t) {
      const call = inputs.length;
      inputs.push(Array.from(tokens));
      times.push(t ? t[0] : null);
      const row = rows[Math.min(call, rows.length - 1)];
      return tableLogits(vocab, maskId, row.slice(0, tokens.length));
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

/**
 * Logits that make each row's softmax exactly uniform over its listed tokens (logit 0; every
 * other token, the mask id included unless listed, gets −∞): [0.5, 0.5] rows give probability
 * 0.5 exactly and entropy 1 bit up to the 1e−10 inside the log.
 */
export function uniformLogits(vocab: number, rows: readonly (readonly number[])[]): Float64Array {
  const out = new Float64Array(rows.length * vocab).fill(-Infinity);
  rows.forEach((tokens, i) => {
    for (const v of tokens) out[i * vocab + v] = 0;
  });
  return out;
}

/**
 * A model that returns the call-th logits array ([seqLen × V]), whatever the tokens, cut to the
 * input's length; records what it was given.
 */
export function scriptedModel(
  vocab: number,
  maskId: number,
  seqLen: number,
  calls: readonly Float64Array[],
  acceptsPrefix = false,
): LogitsModel & { inputs: number[][] } {
  const inputs: number[][] = [];
  return {
    vocabSize: vocab,
    maskId,
    seqLen,
    acceptsPrefix,
    inputs,
    async logits(tokens) {
      const call = inputs.length;
      inputs.push(Array.from(tokens));
      if (call >= calls.length) throw new Error(`call ${call}: no logits scripted`);
      return calls[call].slice(0, tokens.length * vocab);
    },
  };
}

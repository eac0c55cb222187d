/**
 * The architecture as data. One config drives the parameter layout, the seeded init, the CPU
 * reference forward/backward, the ONNX graph builder and (later) the WGSL trainer, so they
 * cannot drift apart.
 *
 * The network (pre-LN Transformer, bidirectional unless `causal`):
 *   h0[b,i]  = tok_emb[x[b,i]] + pos_emb[i] (+ t[b] * time_w + time_b   when timeConditioning)
 *   per layer:
 *     a      = LayerNorm(h; ln1)           q,k,v = a·Wq+bq, a·Wk+bk, a·Wv+bv
 *     per head: S = q_h·k_hᵀ / sqrt(dHead)  (+ -inf above the diagonal when causal)
 *               A = softmax(S) (over keys)  o_h = A·v_h
 *     h      = h + concat(o_h)·Wo + bo
 *     m      = LayerNorm(h; ln2)           h = h + gelu(m·W1+b1)·W2 + b2
 *   logits   = LayerNorm(h; lnf)·head_w + head_b
 * LayerNorm uses the biased variance and eps = layerNormEps inside the square root.
 * GELU is the tanh form everywhere (WGSL has no erf): see gelu.ts.
 * Matrices are stored [in, out], row-major, so y = x·W is an ONNX MatMul as is.
 */
export interface ModelConfig {
  vocabSize: number;
  /** Number of learned positions: the longest window the model accepts. */
  seqLen: number;
  dModel: number;
  heads: number;
  layers: number;
  ffn: number;
  /** Adds t·time_w + time_b to every position, like the article's `time_embed`. */
  timeConditioning: boolean;
  /** Causal attention: the autoregressive twin. */
  causal: boolean;
  layerNormEps: number;
}

export const LAYER_NORM_EPS = 1e-5;

export function headDim(config: ModelConfig): number {
  return config.dModel / config.heads;
}

/** Throws with a message naming the field when a config cannot describe a network. */
export function validateConfig(config: ModelConfig): void {
  const positive = ['vocabSize', 'seqLen', 'dModel', 'heads', 'layers', 'ffn'] as const;
  for (const key of positive) {
    const v = config[key];
    if (!Number.isInteger(v) || v <= 0)
      throw new Error(`config.${key} must be a positive integer, got ${v}`);
  }
  if (config.dModel % config.heads !== 0) {
    throw new Error(
      `config.dModel (${config.dModel}) must be divisible by config.heads (${config.heads})`,
    );
  }
  if (!(config.layerNormEps > 0)) throw new Error(`config.layerNormEps must be > 0`);
}

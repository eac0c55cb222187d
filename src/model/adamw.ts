import type { FloatArray, ParameterLayout } from './parameterLayout';

/**
 * AdamW (Loshchilov & Hutter): Adam with bias correction plus weight decay applied to the
 * parameters directly (decoupled), not through the gradient, preceded by clipping the global
 * L2 norm of the gradient. The update of one element, as in PyTorch's AdamW:
 *   g ← g · min(1, maxGradNorm / ‖g‖)
 *   m ← β1·m + (1−β1)·g        v ← β2·v + (1−β2)·g²
 *   p ← p − lr·weightDecay·p   (only where decayed)
 *   p ← p − lr · (m / (1−β1^step)) / (√(v / (1−β2^step)) + eps)
 *
 * Which tensors decay: GPT-2/nanoGPT's rule, every tensor of rank 2 — the matrices of attention
 * and MLP, the head, and the embedding tables (tok_emb, pos_emb, time_w) — and no bias, no
 * LayerNorm gain or shift. Decaying a gain pulls it toward 0 rather than toward its natural
 * value 1, and biases are too few to overfit with; the embeddings are lookup matrices like any
 * other and decaying them keeps rarely seen tokens from drifting.
 */
export interface AdamWOptions {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** Clip the global gradient norm to this; Infinity turns clipping off. */
  maxGradNorm: number;
}

/** nanoGPT's settings for small models (β2 = 0.99 because such runs are short). */
export const DEFAULT_ADAMW: Omit<AdamWOptions, 'lr'> = {
  beta1: 0.9,
  beta2: 0.99,
  eps: 1e-8,
  weightDecay: 0.1,
  maxGradNorm: 1,
};

/** Plain typed arrays and a number, so a checkpoint can store and restore it as is. */
export interface AdamWState {
  /** First moment, one per parameter. */
  m: Float32Array;
  /** Second moment, one per parameter. */
  v: Float32Array;
  /** Updates taken so far; the next update is number step + 1. */
  step: number;
}

export function createAdamWState(size: number): AdamWState {
  return { m: new Float32Array(size), v: new Float32Array(size), step: 0 };
}

/** 1 for every element of a rank-2 tensor (decayed), 0 elsewhere; see the rule above. */
export function weightDecayMask(layout: ParameterLayout): Uint8Array {
  const mask = new Uint8Array(layout.total);
  for (const spec of layout.specs) {
    if (spec.shape.length >= 2) mask.fill(1, spec.offset, spec.offset + spec.size);
  }
  return mask;
}

/** √Σ g², accumulated in float64. */
export function globalNorm(grads: FloatArray): number {
  let sum = 0;
  for (let i = 0; i < grads.length; i++) sum += grads[i] * grads[i];
  return Math.sqrt(sum);
}

export interface AdamWStepResult {
  /** The gradient norm before clipping. */
  gradNorm: number;
  /** The factor the gradient was multiplied by (1 when not clipped). */
  clipScale: number;
}

/** One update of params in place; grads are read, not changed. */
export function adamwStep(
  params: FloatArray,
  grads: FloatArray,
  state: AdamWState,
  decayMask: Uint8Array,
  options: AdamWOptions,
): AdamWStepResult {
  const n = params.length;
  if (
    grads.length !== n ||
    state.m.length !== n ||
    state.v.length !== n ||
    decayMask.length !== n
  ) {
    throw new Error(
      `params (${n}), grads (${grads.length}), m (${state.m.length}), v (${state.v.length}) and the decay mask (${decayMask.length}) must have one length`,
    );
  }
  const { lr, beta1, beta2, eps, weightDecay, maxGradNorm } = options;
  const gradNorm = globalNorm(grads);
  if (!Number.isFinite(gradNorm)) throw new Error(`the gradient is not finite (norm ${gradNorm})`);
  const clipScale = gradNorm > maxGradNorm ? maxGradNorm / gradNorm : 1;
  state.step += 1;
  const stepSize = lr / (1 - Math.pow(beta1, state.step));
  const secondCorrection = 1 / Math.sqrt(1 - Math.pow(beta2, state.step));
  const decay = 1 - lr * weightDecay;
  const { m, v } = state;
  for (let i = 0; i < n; i++) {
    const g = grads[i] * clipScale;
    const mi = beta1 * m[i] + (1 - beta1) * g;
    const vi = beta2 * v[i] + (1 - beta2) * g * g;
    m[i] = mi;
    v[i] = vi;
    const p = decayMask[i] ? params[i] * decay : params[i];
    params[i] = p - (stepSize * mi) / (Math.sqrt(vi) * secondCorrection + eps);
  }
  return { gradNorm, clipScale };
}

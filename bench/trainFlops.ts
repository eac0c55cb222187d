/**
 * Floating-point operations of the matrix products of training, to turn times into GFLOP/s.
 * A product of an [m, k] and a [k, n] matrix is 2·m·n·k operations (a multiply and an add per
 * term). Element-wise work (LayerNorm, GELU, softmax, the loss, AdamW) is left out: it is a few
 * percent of a step and its count depends on how an implementation writes it.
 */
import { headDim, type ModelConfig } from '../src/model/config';

export function matmulFlops(m: number, n: number, k: number, batch = 1): number {
  for (const [name, v] of Object.entries({ m, n, k, batch })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  }
  return 2 * m * n * k * batch;
}

/** One named product of a training step. */
export interface TrainingProduct {
  label: string;
  m: number;
  n: number;
  k: number;
  /** Independent products of this shape (e.g. batch × heads for attention). */
  batch: number;
}

/**
 * The forward products of the network on `batch` windows of `length` tokens, one entry per
 * layer and kind: y = x·W for q, k, v, Wo, W1, W2 and the head, and the two attention products
 * per (window, head).
 */
export function forwardProducts(
  config: ModelConfig,
  batch: number,
  length: number,
): TrainingProduct[] {
  const rows = batch * length;
  const { dModel: d, ffn: f, vocabSize: V, heads: H } = config;
  const dh = headDim(config);
  const out: TrainingProduct[] = [];
  for (let l = 0; l < config.layers; l++) {
    out.push(
      { label: `layer ${l} q|k|v`, m: rows, n: d, k: d, batch: 3 },
      { label: `layer ${l} attention scores`, m: length, n: length, k: dh, batch: batch * H },
      { label: `layer ${l} attention values`, m: length, n: dh, k: length, batch: batch * H },
      { label: `layer ${l} wo`, m: rows, n: d, k: d, batch: 1 },
      { label: `layer ${l} mlp w1`, m: rows, n: f, k: d, batch: 1 },
      { label: `layer ${l} mlp w2`, m: rows, n: d, k: f, batch: 1 },
    );
  }
  out.push({ label: 'head', m: rows, n: V, k: d, batch: 1 });
  return out;
}

export interface StepFlops {
  forward: number;
  backward: number;
  total: number;
}

/**
 * Matrix-product FLOPs of one training step. Backward: every dense layer y = x·W takes two
 * products of its forward size (dX = dY·Wᵀ and dW = Xᵀ·dY), attention four of its per-head
 * size (dA = dO·vᵀ, dv = Aᵀ·dO, dq = dS·k, dk = dSᵀ·q), so twice the dense forward plus twice
 * the attention forward. Bias gradients and the gradient of the first layer's input are
 * counted as a real trainer computes them: the input gradient of the q|k|v projections is
 * needed for the residual stream, and the embeddings take no product.
 */
export function trainingStepFlops(config: ModelConfig, batch: number, length: number): StepFlops {
  let forward = 0;
  let backward = 0;
  for (const p of forwardProducts(config, batch, length)) {
    const flops = matmulFlops(p.m, p.n, p.k, p.batch);
    forward += flops;
    backward += 2 * flops;
  }
  return { forward, backward, total: forward + backward };
}

/**
 * The most training steps per second an adapter could run if a step were nothing but its matrix
 * products, all at `gflops` (the adapter's multiply-add ceiling): an upper bound for any trainer
 * on that adapter, since real kernels also read memory and a step has element-wise work too.
 */
export function stepsPerSecondAtCeiling(gflops: number, stepFlops: number): number {
  if (!(gflops > 0) || !(stepFlops > 0)) throw new Error('GFLOP/s and FLOPs must be positive');
  return (gflops * 1e9) / stepFlops;
}

/**
 * The src/model network and its training step written in TensorFlow.js, the peer our WebGPU
 * trainer is measured against in `bench -- train`. Same architecture as forward.ts (token +
 * position + time embeddings, pre-LN blocks with multi-head attention and a tanh-GELU MLP,
 * final LayerNorm, head), the same weighted cross-entropy (the batch's per-position weights,
 * e.g. the article's 1/(t·L)), and the same AdamW with global-norm clipping as adamw.ts, on the
 * same flat parameter array. Written the way a TensorFlow.js user would: ops, tf.variableGrads,
 * fused matMul with bias; whichever backend is active runs it (cpu, wasm, webgpu).
 *
 * The token embedding is a gather where the backend has the gather gradient's kernel
 * (UnsortedSegmentSum), else a one-hot product (the WASM backend lacks that kernel).
 */
import * as tf from '@tensorflow/tfjs-core';
// Gradients are registered separately from the ops (the @tensorflow/tfjs bundle does this too).
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { type AdamWOptions, DEFAULT_ADAMW } from '../src/model/adamw';
import { headDim } from '../src/model/config';
import type { TrainingBatch } from '../src/model/cpuTrainer';
import { GELU_CUBIC, GELU_SQRT_2_OVER_PI } from '../src/model/gelu';
import { layerPrefix, type ParameterLayout } from '../src/model/parameterLayout';

export type EmbeddingLookup = 'gather' | 'one-hot matmul';

export interface TfjsTrainer {
  /** How the token embedding is looked up on this backend. */
  readonly embedding: EmbeddingLookup;
  /** The batch's loss at the current parameters (no update). */
  loss(batch: TrainingBatch): Promise<number>;
  /** ∂loss/∂params as one flat array in the layout's order, at the current parameters. */
  gradients(batch: TrainingBatch): Promise<Float32Array>;
  /**
   * Queues one AdamW step and returns its loss as a tensor (the caller reads or disposes it):
   * reading it every step would force a sync that a training loop need not make.
   */
  step(batch: TrainingBatch, lr: number): tf.Scalar;
  readParams(): Promise<Float32Array>;
  dispose(): void;
}

let instances = 0;

/**
 * Inputs per tf.addN: TensorFlow.js-WebGPU's AddN binds every input as a storage buffer of one
 * shader, a device allows 8 per stage unless asked for more, and a larger AddN fails validation
 * and leaves garbage (the gradient norm of 73 parameters did, so clipping scaled every update
 * wrongly and its loss rose).
 */
export const ADD_N_MAX_INPUTS = 7;

/** Σ terms, as a tree of tf.addN calls of at most ADD_N_MAX_INPUTS inputs each. */
export function sumTensors(terms: readonly tf.Tensor[]): tf.Tensor {
  if (terms.length === 0) throw new Error('sumTensors needs at least one term');
  let level = [...terms];
  while (level.length > 1) {
    const next: tf.Tensor[] = [];
    for (let i = 0; i < level.length; i += ADD_N_MAX_INPUTS) {
      const chunk = level.slice(i, i + ADD_N_MAX_INPUTS);
      next.push(chunk.length === 1 ? chunk[0] : tf.addN(chunk));
    }
    level = next;
  }
  return level[0];
}

/** The batch as tensors: tokens, clamped targets, weights, t. */
function batchTensors(b: TrainingBatch) {
  const rows = b.batch * b.length;
  const targets = new Int32Array(rows);
  // Positions without a target have weight 0; any valid id keeps the one-hot defined.
  for (let n = 0; n < rows; n++) targets[n] = Math.max(0, b.targets[n]);
  return {
    tokens: tf.tensor1d(b.tokens, 'int32'),
    targets: tf.tensor1d(targets, 'int32'),
    weights: tf.tensor1d(Float32Array.from(b.weights)),
    t: b.t ? tf.tensor3d(Float32Array.from(b.t), [b.batch, 1, 1]) : null,
  };
}

export interface TfjsTrainerOptions {
  optimizer?: Omit<AdamWOptions, 'lr'>;
  /** How to look up the token embedding; by default a gather where the backend can. */
  embedding?: EmbeddingLookup;
}

export function createTfjsTrainer(
  layout: ParameterLayout,
  initialParams: Float32Array,
  options: TfjsTrainerOptions = {},
): TfjsTrainer {
  if (initialParams.length !== layout.total) {
    throw new Error(`initialParams holds ${initialParams.length} values, layout ${layout.total}`);
  }
  const config = layout.config;
  const { dModel: d, heads: H, vocabSize: V, layerNormEps: eps } = config;
  const dh = headDim(config);
  const id = `unmaskBench${++instances}`;
  const vars = new Map<string, tf.Variable>();
  const decayed = new Set<string>();
  const moments = new Map<string, { m: tf.Variable; v: tf.Variable }>();
  for (const spec of layout.specs) {
    const values = initialParams.subarray(spec.offset, spec.offset + spec.size);
    const p = tf.variable(tf.tensor(values, spec.shape), true, `${id}/${spec.name}`);
    vars.set(spec.name, p);
    moments.set(spec.name, {
      m: tf.variable(tf.zeros(spec.shape), false, `${id}/${spec.name}/m`),
      v: tf.variable(tf.zeros(spec.shape), false, `${id}/${spec.name}/v`),
    });
    if (spec.shape.length >= 2) decayed.add(spec.name);
  }
  const P = (name: string): tf.Tensor => {
    const v = vars.get(name);
    if (!v) throw new Error(`unknown parameter ${name}`);
    return v;
  };
  const optimizer = options.optimizer ?? DEFAULT_ADAMW;
  const embedding: EmbeddingLookup =
    options.embedding ??
    (tf.getKernel('UnsortedSegmentSum', tf.getBackend()) !== undefined
      ? 'gather'
      : 'one-hot matmul');
  let updates = 0;

  const layerNorm = (x: tf.Tensor2D, prefix: string): tf.Tensor2D => {
    const { mean, variance } = tf.moments(x, -1, true);
    const xhat = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps)));
    return tf.add(tf.mul(xhat, P(`${prefix}.gamma`)), P(`${prefix}.beta`)) as tf.Tensor2D;
  };
  const linear = (x: tf.Tensor2D, w: string, b: string): tf.Tensor2D =>
    tf.fused.matMul({ a: x, b: P(w) as tf.Tensor2D, bias: P(b) }) as tf.Tensor2D;
  const gelu = (x: tf.Tensor): tf.Tensor => {
    const cube = tf.mul(tf.mul(x, x), x);
    const u = tf.mul(tf.add(x, tf.mul(cube, GELU_CUBIC)), GELU_SQRT_2_OVER_PI);
    return tf.mul(tf.mul(x, 0.5), tf.add(tf.tanh(u), 1));
  };
  // int32 one-hots cast to float32: the WASM backend's OneHot ignores a float32 dtype and
  // writes integer bits into a float32 tensor (1 reads as 1.4e-45).
  const oneHot = (indices: tf.Tensor1D) => tf.cast(tf.oneHot(indices, V), 'float32');
  /** [rows, d] → [batch, heads, L, dh]. */
  const splitHeads = (x: tf.Tensor2D, batch: number, L: number) =>
    tf.transpose(tf.reshape(x, [batch, L, H, dh]), [0, 2, 1, 3]);

  const lossOf = (b: ReturnType<typeof batchTensors>, batch: number, L: number): tf.Scalar => {
    const rows = batch * L;
    const tokEmb = P('tok_emb') as tf.Tensor2D;
    const tokens =
      embedding === 'gather' ? tf.gather(tokEmb, b.tokens) : tf.matMul(oneHot(b.tokens), tokEmb);
    let h3 = tf.add(tf.reshape(tokens, [batch, L, d]), tf.slice(P('pos_emb'), [0, 0], [L, d]));
    if (config.timeConditioning) {
      if (!b.t) throw new Error('this network is time-conditioned: the batch needs t');
      h3 = tf.add(h3, tf.add(tf.mul(b.t, P('time_w')), P('time_b')));
    }
    let h = tf.reshape(h3, [rows, d]) as tf.Tensor2D;
    const causalMask = config.causal
      ? tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([L, L]), -1, 0)), -1e9)
      : null;
    for (let l = 0; l < config.layers; l++) {
      const p = layerPrefix(l);
      const a = layerNorm(h, `${p}.ln1`);
      const q = splitHeads(linear(a, `${p}.attn.wq`, `${p}.attn.bq`), batch, L);
      const k = splitHeads(linear(a, `${p}.attn.wk`, `${p}.attn.bk`), batch, L);
      const v = splitHeads(linear(a, `${p}.attn.wv`, `${p}.attn.bv`), batch, L);
      let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh));
      if (causalMask) scores = tf.add(scores, causalMask);
      const o = tf.matMul(tf.softmax(scores), v);
      const merged = tf.reshape(tf.transpose(o, [0, 2, 1, 3]), [rows, d]) as tf.Tensor2D;
      h = tf.add(h, linear(merged, `${p}.attn.wo`, `${p}.attn.bo`));
      const m = layerNorm(h, `${p}.ln2`);
      const act = gelu(linear(m, `${p}.mlp.w1`, `${p}.mlp.b1`)) as tf.Tensor2D;
      h = tf.add(h, linear(act, `${p}.mlp.w2`, `${p}.mlp.b2`));
    }
    const logits = linear(layerNorm(h, 'lnf'), 'head.w', 'head.b');
    // Σ_n w_n · (logsumexp(logits_n) − logits_n[target_n]); the weights carry the reduction.
    const picked = tf.sum(tf.mul(logits, oneHot(b.targets)), -1);
    const nll = tf.sub(tf.logSumExp(logits, -1), picked);
    return tf.sum(tf.mul(nll, b.weights));
  };

  const names = layout.specs.map((s) => s.name);
  const varList = names.map((n) => vars.get(n)!);

  return {
    embedding,
    async loss(batch) {
      const value = tf.tidy(() => lossOf(batchTensors(batch), batch.batch, batch.length));
      try {
        return (await value.data())[0];
      } finally {
        value.dispose();
      }
    },
    async gradients(batch) {
      const flat = tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () => lossOf(batchTensors(batch), batch.batch, batch.length),
          varList,
        );
        return tf.concat(names.map((n) => tf.reshape(grads[`${id}/${n}`], [-1])));
      });
      try {
        return (await flat.data()) as Float32Array;
      } finally {
        flat.dispose();
      }
    },
    step(batch, lr) {
      const { beta1, beta2, eps: adamEps, weightDecay, maxGradNorm } = optimizer;
      updates++;
      const stepSize = lr / (1 - Math.pow(beta1, updates));
      const secondCorrection = 1 / Math.sqrt(1 - Math.pow(beta2, updates));
      return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(
          () => lossOf(batchTensors(batch), batch.batch, batch.length),
          varList,
        );
        const norm = tf.sqrt(sumTensors(names.map((n) => tf.sum(tf.square(grads[`${id}/${n}`])))));
        const clip = tf.minimum(tf.div(maxGradNorm, norm), 1);
        for (const name of names) {
          const p = vars.get(name)!;
          const { m, v } = moments.get(name)!;
          const g = tf.mul(grads[`${id}/${name}`], clip);
          const m1 = tf.add(tf.mul(m, beta1), tf.mul(g, 1 - beta1));
          const v1 = tf.add(tf.mul(v, beta2), tf.mul(tf.square(g), 1 - beta2));
          m.assign(m1);
          v.assign(v1);
          const kept = decayed.has(name) ? tf.mul(p, 1 - lr * weightDecay) : p;
          const denom = tf.add(tf.mul(tf.sqrt(v1), secondCorrection), adamEps);
          p.assign(tf.sub(kept, tf.div(tf.mul(m1, stepSize), denom)));
        }
        return value;
      });
    },
    async readParams() {
      const flat = tf.tidy(() => tf.concat(varList.map((p) => tf.reshape(p, [-1]))));
      try {
        return (await flat.data()) as Float32Array;
      } finally {
        flat.dispose();
      }
    },
    dispose() {
      for (const p of vars.values()) p.dispose();
      for (const { m, v } of moments.values()) {
        m.dispose();
        v.dispose();
      }
    },
  };
}

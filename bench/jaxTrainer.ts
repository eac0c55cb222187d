/**
 * The src/model network and its training step written in jax-js (@jax-js/jax), the second peer
 * our WebGPU trainer is measured against in `bench -- train`. Same architecture as forward.ts
 * and bench/tfjsTrainer.ts (token + position + time embeddings, pre-LN blocks with multi-head
 * attention and a tanh-GELU MLP, final LayerNorm, head), the same weighted cross-entropy and
 * the same AdamW with global-norm clipping as adamw.ts. Written the way a JAX user would: a
 * pure loss function of a parameter tree, valueAndGrad, and the whole step (forward, backward,
 * clipping, AdamW) in one jit-compiled function, which jax-js fuses into its own kernels.
 * The registry has no @jax-js/optax, so AdamW is written here on jax-js's numpy. The token
 * embedding is a one-hot product (see lossOf), as in TensorFlow.js-WASM's twin.
 *
 * jax-js frees an array when its reference count reaches zero, and every function consumes its
 * arguments: an array used twice is passed as `x.ref` the first time.
 */
import { jit, numpy as np, nn, tree, valueAndGrad, type Device } from '@jax-js/jax';
import { type AdamWOptions, DEFAULT_ADAMW } from '../src/model/adamw';
import { headDim } from '../src/model/config';
import type { TrainingBatch } from '../src/model/cpuTrainer';
import { GELU_CUBIC, GELU_SQRT_2_OVER_PI } from '../src/model/gelu';
import { layerPrefix, type ParameterLayout } from '../src/model/parameterLayout';

type Params = Record<string, np.Array>;

export interface JaxTrainer {
  readonly device: Device;
  /** The batch's loss at the current parameters (no update). */
  loss(batch: TrainingBatch): Promise<number>;
  /** ∂loss/∂params as one flat array in the layout's order, at the current parameters. */
  gradients(batch: TrainingBatch): Promise<Float32Array>;
  /**
   * Queues one AdamW step and returns its loss (before the update) as an array the caller
   * reads (data() consumes it) or disposes: reading it every step would force a sync a
   * training loop need not make.
   */
  step(batch: TrainingBatch, lr: number): np.Array;
  readParams(): Promise<Float32Array>;
  dispose(): void;
}

export interface JaxTrainerOptions {
  optimizer?: Omit<AdamWOptions, 'lr'>;
}

/** The batch as arrays on `device`: tokens, clamped targets, weights, t (zeros if unused). */
function batchArrays(b: TrainingBatch, device: Device) {
  const rows = b.batch * b.length;
  const targets = new Int32Array(rows);
  // Positions without a target have weight 0; any valid id keeps the one-hot defined.
  for (let n = 0; n < rows; n++) targets[n] = Math.max(0, b.targets[n]);
  return [
    np.array(Int32Array.from(b.tokens), { dtype: np.int32, device }),
    np.array(targets, { dtype: np.int32, device }),
    np.array(Float32Array.from(b.weights), { device }),
    np
      .array(b.t ? Float32Array.from(b.t) : new Float32Array(b.batch), { device })
      .reshape([b.batch, 1, 1]),
  ] as const;
}

export function createJaxTrainer(
  layout: ParameterLayout,
  initialParams: Float32Array,
  device: Device,
  options: JaxTrainerOptions = {},
): JaxTrainer {
  if (initialParams.length !== layout.total) {
    throw new Error(`initialParams holds ${initialParams.length} values, layout ${layout.total}`);
  }
  const config = layout.config;
  const { dModel: d, heads: H, vocabSize: V, layerNormEps: eps } = config;
  const dh = headDim(config);
  const optimizer = options.optimizer ?? DEFAULT_ADAMW;
  const names = layout.specs.map((s) => s.name);
  const decayed = new Set(layout.specs.filter((s) => s.shape.length >= 2).map((s) => s.name));
  const leaves = (values: (name: string, shape: number[]) => np.Array): Params =>
    Object.fromEntries(layout.specs.map((s) => [s.name, values(s.name, s.shape)]));
  let params = leaves((name, shape) => {
    const spec = layout.specs.find((s) => s.name === name)!;
    return np
      .array(initialParams.slice(spec.offset, spec.offset + spec.size), { device })
      .reshape(shape);
  });
  let m = leaves((_, shape) => np.zeros(shape, { device }));
  let v = leaves((_, shape) => np.zeros(shape, { device }));
  let updates = 0;

  const layerNorm = (x: np.Array, gamma: np.Array, beta: np.Array): np.Array => {
    const centred = x.ref.sub(np.mean(x, -1, { keepdims: true }));
    const variance = np.mean(np.square(centred.ref), -1, { keepdims: true });
    return centred
      .div(np.sqrt(variance.add(eps)))
      .mul(gamma)
      .add(beta);
  };
  const linear = (x: np.Array, w: np.Array, b: np.Array) => np.matmul(x, w).add(b);
  const gelu = (x: np.Array): np.Array => {
    const u = x.ref.add(x.ref.mul(x.ref).mul(x.ref).mul(GELU_CUBIC)).mul(GELU_SQRT_2_OVER_PI);
    return x.mul(0.5).mul(np.tanh(u).add(1));
  };
  /** [rows, d] → [batch, heads, L, dh]. */
  const splitHeads = (x: np.Array, batch: number, L: number) =>
    x.reshape([batch, L, H, dh]).transpose([0, 2, 1, 3]);

  /** The weighted cross-entropy of the batch: Σ_n w_n · (logsumexp(logits_n) − logits_n[y_n]). */
  const lossOf = (
    p: Params,
    tokens: np.Array,
    targets: np.Array,
    weights: np.Array,
    t: np.Array,
  ): np.Array => {
    const [rows] = tokens.shape;
    const batch = t.shape[0];
    const L = rows / batch;
    // A one-hot product, not np.take: jax-js 0.1.25's jit cannot compile take's gradient (a
    // scatter routine fed by a fused expression: "routine primitive scatter input is not imm").
    let h3 = np
      .matmul(nn.oneHot(tokens, V), p.tok_emb)
      .reshape([batch, L, d])
      .add(p.pos_emb.slice([0, L], []));
    if (config.timeConditioning) {
      h3 = h3.add(t.mul(p.time_w).add(p.time_b));
    } else {
      t.dispose();
    }
    let h = h3.reshape([rows, d]);
    for (let l = 0; l < config.layers; l++) {
      const q = `${layerPrefix(l)}.`;
      const a = layerNorm(h.ref, p[`${q}ln1.gamma`], p[`${q}ln1.beta`]);
      const qh = splitHeads(linear(a.ref, p[`${q}attn.wq`], p[`${q}attn.bq`]), batch, L);
      const kh = splitHeads(linear(a.ref, p[`${q}attn.wk`], p[`${q}attn.bk`]), batch, L);
      const vh = splitHeads(linear(a, p[`${q}attn.wv`], p[`${q}attn.bv`]), batch, L);
      let scores = np.matmul(qh, kh.transpose([0, 1, 3, 2])).mul(1 / Math.sqrt(dh));
      if (config.causal) scores = scores.add(np.triu(np.full([L, L], -1e9), 1));
      const o = np.matmul(nn.softmax(scores, -1), vh);
      const merged = o.transpose([0, 2, 1, 3]).reshape([rows, d]);
      h = h.add(linear(merged, p[`${q}attn.wo`], p[`${q}attn.bo`]));
      const mlpIn = layerNorm(h.ref, p[`${q}ln2.gamma`], p[`${q}ln2.beta`]);
      const act = gelu(linear(mlpIn, p[`${q}mlp.w1`], p[`${q}mlp.b1`]));
      h = h.add(linear(act, p[`${q}mlp.w2`], p[`${q}mlp.b2`]));
    }
    const logits = linear(layerNorm(h, p['lnf.gamma'], p['lnf.beta']), p['head.w'], p['head.b']);
    const picked = np.sum(logits.ref.mul(nn.oneHot(targets, V)), -1);
    const nll = nn.logsumexp(logits, -1).sub(picked);
    return np.sum(nll.mul(weights));
  };

  const lossJit = jit(lossOf);
  const gradJit = jit(
    (p: Params, tokens: np.Array, targets: np.Array, w: np.Array, t: np.Array) => {
      return valueAndGrad(lossOf)(p, tokens, targets, w, t);
    },
  );
  const { beta1, beta2, eps: adamEps, weightDecay, maxGradNorm } = optimizer;
  /**
   * One step, compiled whole: the loss and its gradient, the global norm and its clip factor,
   * and AdamW. `scalars` = [lr, lr/(1−β1^t), 1/√(1−β2^t)]: arrays, so that a new step number
   * does not compile a new function.
   */
  const stepJit = jit(
    (
      p: Params,
      m0: Params,
      v0: Params,
      tokens: np.Array,
      targets: np.Array,
      w: np.Array,
      t: np.Array,
      scalars: np.Array,
    ) => {
      const [loss, grads] = valueAndGrad(lossOf)(tree.ref(p), tokens, targets, w, t);
      const sq = names.map((n) => np.sum(np.square(grads[n].ref)));
      const norm = np.sqrt(sq.reduce((a, b) => a.add(b)));
      const clip = np.minimum(np.reciprocal(norm).mul(maxGradNorm), 1);
      const lr = scalars.ref.slice(0);
      const stepSize = scalars.ref.slice(1);
      const secondCorrection = scalars.slice(2);
      const p1: Params = {};
      const m1: Params = {};
      const v1: Params = {};
      for (const n of names) {
        const g = grads[n].mul(clip.ref);
        m1[n] = m0[n].mul(beta1).add(g.ref.mul(1 - beta1));
        v1[n] = v0[n].mul(beta2).add(np.square(g).mul(1 - beta2));
        const kept = decayed.has(n) ? p[n].ref.sub(p[n].mul(lr.ref).mul(weightDecay)) : p[n];
        const denom = np.sqrt(v1[n].ref).mul(secondCorrection.ref).add(adamEps);
        p1[n] = kept.sub(m1[n].ref.mul(stepSize.ref).div(denom));
      }
      clip.dispose();
      lr.dispose();
      stepSize.dispose();
      secondCorrection.dispose();
      return [loss, p1, m1, v1] as [np.Array, Params, Params, Params];
    },
  );

  /** The tree's leaves in the layout's order; reading a leaf (data()) consumes it. */
  const flatten = async (tr: Params): Promise<Float32Array> => {
    const out = new Float32Array(layout.total);
    for (const spec of layout.specs) {
      out.set((await tr[spec.name].data()) as Float32Array, spec.offset);
    }
    return out;
  };

  return {
    device,
    async loss(batch) {
      const value = lossJit(tree.ref(params), ...batchArrays(batch, device));
      return (await value.data())[0];
    },
    async gradients(batch) {
      const [value, grads] = gradJit(tree.ref(params), ...batchArrays(batch, device));
      value.dispose();
      return flatten(grads);
    },
    step(batch, lr) {
      updates++;
      const scalars = np.array(
        new Float32Array([
          lr,
          lr / (1 - Math.pow(beta1, updates)),
          1 / Math.sqrt(1 - Math.pow(beta2, updates)),
        ]),
        { device },
      );
      const [loss, p1, m1, v1] = stepJit(params, m, v, ...batchArrays(batch, device), scalars);
      params = p1;
      m = m1;
      v = v1;
      return loss;
    },
    async readParams() {
      return flatten(tree.ref(params));
    },
    dispose() {
      tree.dispose(params);
      tree.dispose(m);
      tree.dispose(v);
      lossJit.dispose();
      gradJit.dispose();
      stepJit.dispose();
    },
  };
}

import { attentionForward } from './attention';
import { headDim } from './config';
import { geluInto } from './gelu';
import { layerNormForward } from './layerNorm';
import { matmul } from './matmul';
import { type FloatArray, layerPrefix, type ParameterLayout, paramView } from './parameterLayout';

/**
 * The CPU reference forward pass of the network that config.ts specifies. It is the ground
 * truth the ONNX graph, the WGSL trainer and the gradient checks are held against, and, on
 * Float32Array parameters, fast enough to train the small default model on a CPU.
 *
 * The element type of `params` (Float32Array or Float64Array) is the arithmetic type of every
 * buffer, so the same code serves the float64 gradient check and float32 training.
 */
export interface ForwardInput {
  /** [batch * length], row-major token ids in [0, vocabSize). */
  tokens: Int32Array;
  batch: number;
  /** 1..config.seqLen; positions 0..length−1 of pos_emb are used. */
  length: number;
  /**
   * [batch], the masking ratio of each row. Required when config.timeConditioning; ignored
   * otherwise (a network without time conditioning has no use for it).
   */
  t?: ArrayLike<number>;
}

/** What one transformer block keeps for the backward pass; all [rows, ·] row-major. */
export interface LayerCache<T extends FloatArray> {
  ln1Xhat: T;
  ln1Rstd: T;
  /** LayerNorm(h; ln1): the input of the q, k, v projections. */
  ln1Out: T;
  q: T;
  k: T;
  v: T;
  /** [batch, heads, length, length] attention weights. */
  probs: T;
  /** concat over heads of A·v_h: the input of the output projection. */
  attnOut: T;
  ln2Xhat: T;
  ln2Rstd: T;
  /** LayerNorm(h; ln2): the input of the first MLP matrix. */
  ln2Out: T;
  /** m·W1 + b1, before GELU. */
  mlpPre: T;
  /** gelu(mlpPre): the input of the second MLP matrix. */
  mlpAct: T;
}

export interface ForwardCache<T extends FloatArray> {
  layout: ParameterLayout;
  batch: number;
  length: number;
  /** A copy of the input tokens (the embedding gradient scatters into their rows). */
  tokens: Int32Array;
  /** A copy of t, or null without time conditioning. */
  t: Float64Array | null;
  layers: LayerCache<T>[];
  lnfXhat: T;
  lnfRstd: T;
  /** LayerNorm(h; lnf): the input of the head. */
  lnfOut: T;
  /** The residual stream, [rows, dModel]; after the pass it holds the last block's output. */
  residual: T;
  logits: T;
  /** Buffers the backward pass reuses across calls; created by backward on first use. */
  scratch?: unknown;
}

export interface ForwardResult<T extends FloatArray> {
  /** [batch * length * vocabSize], row-major. */
  logits: T;
  cache: ForwardCache<T>;
}

type Make<T extends FloatArray> = (n: number) => T;

export function arrayMaker<T extends FloatArray>(like: T): Make<T> {
  const Ctor = like.constructor as new (n: number) => T;
  return (n) => new Ctor(n);
}

/** Throws with a message naming the problem when an input cannot be run through the network. */
export function validateForwardInput(layout: ParameterLayout, input: ForwardInput): void {
  const { vocabSize, seqLen, timeConditioning } = layout.config;
  const { tokens, batch, length, t } = input;
  if (!Number.isInteger(batch) || batch < 1) {
    throw new Error(`batch must be a positive integer, got ${batch}`);
  }
  if (!Number.isInteger(length) || length < 1 || length > seqLen) {
    throw new Error(`length must be an integer in 1..${seqLen} (config.seqLen), got ${length}`);
  }
  if (tokens.length !== batch * length) {
    throw new Error(
      `tokens holds ${tokens.length} ids, but batch × length = ${batch} × ${length} = ${batch * length}`,
    );
  }
  for (let n = 0; n < tokens.length; n++) {
    const id = tokens[n];
    if (id < 0 || id >= vocabSize) {
      const row = Math.floor(n / length);
      throw new Error(
        `token id ${id} at row ${row}, position ${n % length} is outside the vocabulary [0, ${vocabSize})`,
      );
    }
  }
  if (timeConditioning) {
    if (!t)
      throw new Error('this network is time-conditioned: input.t (one ratio per row) is required');
    if (t.length < batch) throw new Error(`t holds ${t.length} values for ${batch} rows`);
    for (let b = 0; b < batch; b++) {
      if (!Number.isFinite(t[b])) throw new Error(`t[${b}] must be a finite number, got ${t[b]}`);
    }
  }
}

function sameShape<T extends FloatArray>(
  cache: ForwardCache<T> | undefined,
  layout: ParameterLayout,
  params: T,
  batch: number,
  length: number,
): cache is ForwardCache<T> {
  return (
    cache !== undefined &&
    cache.layout === layout &&
    cache.batch === batch &&
    cache.length === length &&
    cache.logits.constructor === params.constructor
  );
}

function allocateCache<T extends FloatArray>(
  layout: ParameterLayout,
  make: Make<T>,
  batch: number,
  length: number,
): ForwardCache<T> {
  const { dModel: d, ffn: f, heads, vocabSize: V } = layout.config;
  const rows = batch * length;
  const layers: LayerCache<T>[] = [];
  for (let l = 0; l < layout.config.layers; l++) {
    layers.push({
      ln1Xhat: make(rows * d),
      ln1Rstd: make(rows),
      ln1Out: make(rows * d),
      q: make(rows * d),
      k: make(rows * d),
      v: make(rows * d),
      probs: make(batch * heads * length * length),
      attnOut: make(rows * d),
      ln2Xhat: make(rows * d),
      ln2Rstd: make(rows),
      ln2Out: make(rows * d),
      mlpPre: make(rows * f),
      mlpAct: make(rows * f),
    });
  }
  return {
    layout,
    batch,
    length,
    tokens: new Int32Array(rows),
    t: layout.config.timeConditioning ? new Float64Array(batch) : null,
    layers,
    lnfXhat: make(rows * d),
    lnfRstd: make(rows),
    lnfOut: make(rows * d),
    residual: make(rows * d),
    logits: make(rows * V),
  };
}

/**
 * Runs the network. `reuse` may pass the cache of an earlier call with the same layout, batch,
 * length and element type: its buffers (logits included) are then overwritten instead of
 * allocated, which a training loop uses to avoid ~MBs of allocation per step.
 */
export function forward<T extends FloatArray>(
  layout: ParameterLayout,
  params: T,
  input: ForwardInput,
  reuse?: ForwardCache<T>,
): ForwardResult<T> {
  if (params.length !== layout.total) {
    throw new Error(`params holds ${params.length} values, but the layout needs ${layout.total}`);
  }
  validateForwardInput(layout, input);
  const config = layout.config;
  const { dModel: d, ffn: f, vocabSize: V, layerNormEps: eps } = config;
  const { batch, length } = input;
  const rows = batch * length;
  const cache = sameShape(reuse, layout, params, batch, length)
    ? reuse
    : allocateCache(layout, arrayMaker(params), batch, length);
  cache.tokens.set(input.tokens);
  const view = (name: string) => paramView(layout, params, name);

  // h0 = tok_emb[x] + pos_emb[i] (+ t·time_w + time_b)
  const h = cache.residual;
  const tokEmb = view('tok_emb');
  const posEmb = view('pos_emb');
  const timeW = config.timeConditioning ? view('time_w') : null;
  const timeB = config.timeConditioning ? view('time_b') : null;
  for (let b = 0; b < batch; b++) {
    let tb = 0;
    if (cache.t && input.t) {
      tb = input.t[b];
      cache.t[b] = tb;
    }
    for (let i = 0; i < length; i++) {
      const n = b * length + i;
      const ho = n * d;
      const eo = cache.tokens[n] * d;
      const po = i * d;
      for (let c = 0; c < d; c++) h[ho + c] = tokEmb[eo + c] + posEmb[po + c];
      if (timeW && timeB) for (let c = 0; c < d; c++) h[ho + c] += tb * timeW[c] + timeB[c];
    }
  }

  const shape = {
    batch,
    length,
    heads: config.heads,
    headDim: headDim(config),
    causal: config.causal,
  };
  for (let l = 0; l < config.layers; l++) {
    const p = layerPrefix(l);
    const c = cache.layers[l];
    layerNormForward(
      h,
      view(`${p}.ln1.gamma`),
      view(`${p}.ln1.beta`),
      eps,
      rows,
      d,
      c.ln1Out,
      c.ln1Xhat,
      c.ln1Rstd,
    );
    matmul(c.q, c.ln1Out, d, 1, view(`${p}.attn.wq`), rows, d, d, view(`${p}.attn.bq`), false);
    matmul(c.k, c.ln1Out, d, 1, view(`${p}.attn.wk`), rows, d, d, view(`${p}.attn.bk`), false);
    matmul(c.v, c.ln1Out, d, 1, view(`${p}.attn.wv`), rows, d, d, view(`${p}.attn.bv`), false);
    attentionForward(c.q, c.k, c.v, shape, c.probs, c.attnOut);
    matmul(h, c.attnOut, d, 1, view(`${p}.attn.wo`), rows, d, d, view(`${p}.attn.bo`), true);

    layerNormForward(
      h,
      view(`${p}.ln2.gamma`),
      view(`${p}.ln2.beta`),
      eps,
      rows,
      d,
      c.ln2Out,
      c.ln2Xhat,
      c.ln2Rstd,
    );
    matmul(c.mlpPre, c.ln2Out, d, 1, view(`${p}.mlp.w1`), rows, d, f, view(`${p}.mlp.b1`), false);
    geluInto(c.mlpAct, c.mlpPre, rows * f);
    matmul(h, c.mlpAct, f, 1, view(`${p}.mlp.w2`), rows, f, d, view(`${p}.mlp.b2`), true);
  }

  layerNormForward(
    h,
    view('lnf.gamma'),
    view('lnf.beta'),
    eps,
    rows,
    d,
    cache.lnfOut,
    cache.lnfXhat,
    cache.lnfRstd,
  );
  matmul(cache.logits, cache.lnfOut, d, 1, view('head.w'), rows, d, V, view('head.b'), false);
  return { logits: cache.logits, cache };
}

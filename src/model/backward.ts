import { attentionBackward } from './attention';
import { headDim } from './config';
import { arrayMaker, type ForwardCache } from './forward';
import { scaleByGeluGrad } from './gelu';
import { layerNormBackward } from './layerNorm';
import { matmul, transposeInto } from './matmul';
import { type FloatArray, layerPrefix, type ParameterLayout, paramView } from './parameterLayout';

/** Work buffers of one backward pass, kept on the forward cache so a training loop reuses them. */
interface BackwardScratch<T extends FloatArray> {
  /** ∂loss/∂(residual stream), [rows, dModel]. */
  dResidual: T;
  /** ∂loss/∂(a LayerNorm output), [rows, dModel]. */
  dNormOut: T;
  dAttnOut: T;
  dq: T;
  dk: T;
  dv: T;
  /** ∂loss/∂(MLP hidden), [rows, ffn]. */
  dHidden: T;
  /** A transposed weight matrix, big enough for the largest one. */
  transposed: T;
}

function scratchFor<T extends FloatArray>(cache: ForwardCache<T>): BackwardScratch<T> {
  const existing = cache.scratch as BackwardScratch<T> | undefined;
  if (existing) return existing;
  const { dModel: d, ffn: f, vocabSize: V } = cache.layout.config;
  const rows = cache.batch * cache.length;
  const make = arrayMaker(cache.logits);
  const scratch: BackwardScratch<T> = {
    dResidual: make(rows * d),
    dNormOut: make(rows * d),
    dAttnOut: make(rows * d),
    dq: make(rows * d),
    dk: make(rows * d),
    dv: make(rows * d),
    dHidden: make(rows * f),
    transposed: make(Math.max(d * d, d * f, d * V)),
  };
  cache.scratch = scratch;
  return scratch;
}

/**
 * Backpropagates dLogits ([batch·length·vocab], ∂loss/∂logits) through the forward pass that
 * produced `cache`, and ADDS ∂loss/∂params into `grads` (same layout and length as params), so
 * gradients of several batches can be summed by calling it repeatedly. Zero `grads` first for
 * a fresh gradient.
 */
export function backward<T extends FloatArray>(
  layout: ParameterLayout,
  params: T,
  cache: ForwardCache<T>,
  dLogits: T,
  grads: T,
): void {
  if (cache.layout !== layout) throw new Error('the cache was made with a different layout');
  if (grads.length !== layout.total || params.length !== layout.total) {
    throw new Error(`params and grads must hold ${layout.total} values`);
  }
  const config = layout.config;
  const { dModel: d, ffn: f, vocabSize: V } = config;
  const { batch, length } = cache;
  const rows = batch * length;
  if (dLogits.length !== rows * V) {
    throw new Error(`dLogits holds ${dLogits.length} values, expected ${rows} × ${V}`);
  }
  const s = scratchFor(cache);
  const weight = (name: string) => paramView(layout, params, name);
  const grad = (name: string) => paramView(layout, grads, name);
  const wT = s.transposed;
  const dh = s.dResidual;

  // logits = z·head_w + head_b (each weight gradient's product also sums its bias gradient)
  matmul(grad('head.w'), cache.lnfOut, 1, d, dLogits, d, rows, V, null, true, grad('head.b'));
  transposeInto(wT, weight('head.w'), d, V);
  matmul(s.dNormOut, dLogits, V, 1, wT, rows, V, d, null, false);
  dh.fill(0);
  layerNormBackward(
    s.dNormOut,
    cache.lnfXhat,
    cache.lnfRstd,
    weight('lnf.gamma'),
    rows,
    d,
    grad('lnf.gamma'),
    grad('lnf.beta'),
    dh,
  );

  const shape = {
    batch,
    length,
    heads: config.heads,
    headDim: headDim(config),
    causal: config.causal,
  };
  for (let l = config.layers - 1; l >= 0; l--) {
    const p = layerPrefix(l);
    const c = cache.layers[l];

    // h += gelu(m·W1 + b1)·W2 + b2
    matmul(grad(`${p}.mlp.w2`), c.mlpAct, 1, f, dh, f, rows, d, null, true, grad(`${p}.mlp.b2`));
    transposeInto(wT, weight(`${p}.mlp.w2`), f, d);
    const dHidden = s.dHidden;
    matmul(dHidden, dh, d, 1, wT, rows, d, f, null, false);
    scaleByGeluGrad(dHidden, c.mlpPre, rows * f);
    matmul(
      grad(`${p}.mlp.w1`),
      c.ln2Out,
      1,
      d,
      dHidden,
      d,
      rows,
      f,
      null,
      true,
      grad(`${p}.mlp.b1`),
    );
    transposeInto(wT, weight(`${p}.mlp.w1`), d, f);
    matmul(s.dNormOut, dHidden, f, 1, wT, rows, f, d, null, false);
    layerNormBackward(
      s.dNormOut,
      c.ln2Xhat,
      c.ln2Rstd,
      weight(`${p}.ln2.gamma`),
      rows,
      d,
      grad(`${p}.ln2.gamma`),
      grad(`${p}.ln2.beta`),
      dh,
    );

    // h += attention(LayerNorm(h))·Wo + bo
    matmul(grad(`${p}.attn.wo`), c.attnOut, 1, d, dh, d, rows, d, null, true, grad(`${p}.attn.bo`));
    transposeInto(wT, weight(`${p}.attn.wo`), d, d);
    matmul(s.dAttnOut, dh, d, 1, wT, rows, d, d, null, false);
    attentionBackward(c.q, c.k, c.v, c.probs, s.dAttnOut, shape, s.dq, s.dk, s.dv);
    const projections = [
      ['q', s.dq],
      ['k', s.dk],
      ['v', s.dv],
    ] as const;
    for (let j = 0; j < projections.length; j++) {
      const [name, dProj] = projections[j];
      const bGrad = grad(`${p}.attn.b${name}`);
      matmul(grad(`${p}.attn.w${name}`), c.ln1Out, 1, d, dProj, d, rows, d, null, true, bGrad);
      transposeInto(wT, weight(`${p}.attn.w${name}`), d, d);
      matmul(s.dNormOut, dProj, d, 1, wT, rows, d, d, null, j > 0);
    }
    layerNormBackward(
      s.dNormOut,
      c.ln1Xhat,
      c.ln1Rstd,
      weight(`${p}.ln1.gamma`),
      rows,
      d,
      grad(`${p}.ln1.gamma`),
      grad(`${p}.ln1.beta`),
      dh,
    );
  }

  // h0 = tok_emb[x] + pos_emb[i] (+ t·time_w + time_b)
  const dTok = grad('tok_emb');
  const dPos = grad('pos_emb');
  const dTimeW = config.timeConditioning ? grad('time_w') : null;
  const dTimeB = config.timeConditioning ? grad('time_b') : null;
  for (let b = 0; b < batch; b++) {
    const tb = cache.t ? cache.t[b] : 0;
    for (let i = 0; i < length; i++) {
      const n = b * length + i;
      const ho = n * d;
      const eo = cache.tokens[n] * d;
      const po = i * d;
      for (let k = 0; k < d; k++) {
        const g = dh[ho + k];
        dTok[eo + k] += g;
        dPos[po + k] += g;
      }
      if (dTimeW && dTimeB) {
        for (let k = 0; k < d; k++) {
          dTimeW[k] += tb * dh[ho + k];
          dTimeB[k] += dh[ho + k];
        }
      }
    }
  }
}

import type { AttentionShape } from '../model/attention';
import type { DispatchSpec } from './gpuDispatch';
import { softmaxBackwardDispatch, softmaxForwardDispatch } from './kernels/attentionKernels';
import { matmulDispatch, type MatrixView } from './kernels/matmulKernel';
import type { TrainerKernels } from './trainerKernels';

/**
 * Multi-head attention between the q/k/v projections and Wo (attention.ts) as batched matmuls
 * on the (batch row, head) grid plus the softmax kernels. q, k, v sit one after the other in
 * `qkv` ([3, rows, dModel], head h in columns h·dHead…); scores are [batch, heads, L, L].
 * Every view is a stride pattern, so no head is ever gathered into a copy.
 */
interface Views {
  /** Head h of batch row b of a [rows, dModel] matrix starting at `offset`: [L, dHead]. */
  head(buffer: GPUBuffer, offset: number): MatrixView;
  /** Its transpose, [dHead, L]. */
  headT(buffer: GPUBuffer, offset: number): MatrixView;
  /** The (b, h) block of a scores buffer: [L, L]. */
  scores(buffer: GPUBuffer): MatrixView;
  scoresT(buffer: GPUBuffer): MatrixView;
  grid: { batchOuter: number; batchInner: number };
  /** Offsets of q, k, v inside qkv. */
  q: number;
  k: number;
  v: number;
}

function views(shape: AttentionShape): Views {
  const { batch, length: L, heads, headDim: dh } = shape;
  const d = heads * dh;
  const head = (buffer: GPUBuffer, offset: number): MatrixView => ({
    buffer,
    offset,
    rowStride: d,
    colStride: 1,
    zOuterStride: L * d,
    zInnerStride: dh,
  });
  const scores = (buffer: GPUBuffer): MatrixView => ({
    buffer,
    offset: 0,
    rowStride: L,
    colStride: 1,
    zOuterStride: heads * L * L,
    zInnerStride: L * L,
  });
  const rowsD = batch * L * d;
  return {
    head,
    headT: (buffer, offset) => ({ ...head(buffer, offset), rowStride: 1, colStride: d }),
    scores,
    scoresT: (buffer) => ({ ...scores(buffer), rowStride: 1, colStride: L }),
    grid: { batchOuter: batch, batchInner: heads },
    q: 0,
    k: rowsD,
    v: 2 * rowsD,
  };
}

/** S = q_h·k_hᵀ/√dHead, A = softmax(S) (causal or not) into probs, o_h = A·v_h into attnOut. */
export function attentionForwardDispatches(
  kernels: TrainerKernels,
  label: string,
  shape: AttentionShape,
  bufs: { qkv: GPUBuffer; probs: GPUBuffer; attnOut: GPUBuffer },
): DispatchSpec[] {
  const { batch, length: L, heads, headDim: dh } = shape;
  const w = views(shape);
  const mm = kernels.matmul;
  return [
    matmulDispatch(mm, {
      label: `${label} attention scores`,
      m: L,
      n: L,
      k: dh,
      ...w.grid,
      a: w.head(bufs.qkv, w.q),
      b: w.headT(bufs.qkv, w.k),
      c: w.scores(bufs.probs),
      alpha: 1 / Math.sqrt(dh),
    }),
    softmaxForwardDispatch(
      kernels.softmax,
      `${label} softmax`,
      batch * heads * L,
      L,
      shape.causal,
      bufs.probs,
    ),
    matmulDispatch(mm, {
      label: `${label} attention values`,
      m: L,
      n: dh,
      k: L,
      ...w.grid,
      a: w.scores(bufs.probs),
      b: w.head(bufs.qkv, w.v),
      c: w.head(bufs.attnOut, 0),
    }),
  ];
}

/**
 * Backward of attentionForwardDispatches, from dAttnOut into dQkv (written, not added):
 * dA = dO·vᵀ, dv = Aᵀ·dO, the softmax backward (which applies 1/√dHead), dq = dS·k,
 * dk = dSᵀ·q. dScores is scratch.
 */
export function attentionBackwardDispatches(
  kernels: TrainerKernels,
  label: string,
  shape: AttentionShape,
  bufs: {
    qkv: GPUBuffer;
    probs: GPUBuffer;
    dAttnOut: GPUBuffer;
    dScores: GPUBuffer;
    dQkv: GPUBuffer;
  },
): DispatchSpec[] {
  const { batch, length: L, heads, headDim: dh } = shape;
  const w = views(shape);
  const mm = kernels.matmul;
  return [
    matmulDispatch(mm, {
      label: `${label} attention dA`,
      m: L,
      n: L,
      k: dh,
      ...w.grid,
      a: w.head(bufs.dAttnOut, 0),
      b: w.headT(bufs.qkv, w.v),
      c: w.scores(bufs.dScores),
    }),
    matmulDispatch(mm, {
      label: `${label} attention dv`,
      m: L,
      n: dh,
      k: L,
      ...w.grid,
      a: w.scoresT(bufs.probs),
      b: w.head(bufs.dAttnOut, 0),
      c: w.head(bufs.dQkv, w.v),
    }),
    softmaxBackwardDispatch(
      kernels.softmax,
      `${label} softmax backward`,
      batch * heads * L,
      L,
      1 / Math.sqrt(dh),
      bufs.probs,
      bufs.dScores,
    ),
    matmulDispatch(mm, {
      label: `${label} attention dq`,
      m: L,
      n: dh,
      k: L,
      ...w.grid,
      a: w.scores(bufs.dScores),
      b: w.head(bufs.qkv, w.k),
      c: w.head(bufs.dQkv, w.q),
    }),
    matmulDispatch(mm, {
      label: `${label} attention dk`,
      m: L,
      n: dh,
      k: L,
      ...w.grid,
      a: w.scoresT(bufs.dScores),
      b: w.head(bufs.qkv, w.q),
      c: w.head(bufs.dQkv, w.k),
    }),
  ];
}

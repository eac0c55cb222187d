import { weightDecayMask } from '../model/adamw';
import type { ParameterLayout } from '../model/parameterLayout';
import { BufferUsage } from './gpuFlags';
import { ADAMW_UNIFORM_BYTES } from './kernels/adamwKernel';
import { normPartialCount } from './kernels/reductionKernels';

/**
 * Every GPU buffer of a training step for a fixed (batch, length), allocated once: parameters,
 * gradients and AdamW moments (flat, in the layout's order), the per-step inputs, the
 * activations each layer keeps for the backward pass (as the CPU reference's ForwardCache), the
 * backward scratch and the step's scalars. Storage buffers are sized in whole 16-byte units so
 * any of them can be read as vec4s.
 */
export interface LayerActivations {
  ln1Xhat: GPUBuffer;
  ln1Rstd: GPUBuffer;
  ln1Out: GPUBuffer;
  /** q, k, v one after the other: [3, rows, dModel]. */
  qkv: GPUBuffer;
  /** Attention weights [batch, heads, length, length]. */
  probs: GPUBuffer;
  attnOut: GPUBuffer;
  ln2Xhat: GPUBuffer;
  ln2Rstd: GPUBuffer;
  ln2Out: GPUBuffer;
  mlpPre: GPUBuffer;
  mlpAct: GPUBuffer;
}

export interface TrainingBuffers {
  /** The flat parameter array of the layout, f32. */
  params: GPUBuffer;
  grads: GPUBuffer;
  /** AdamW moments, same layout as params. */
  m: GPUBuffer;
  v: GPUBuffer;
  /** 1 where weight decay applies (adamw.ts's rule), else 0; f32. */
  decayMask: GPUBuffer;
  /** Per-step inputs, uploaded by uploadBatch. */
  tokens: GPUBuffer;
  targets: GPUBuffer;
  weights: GPUBuffer;
  t: GPUBuffer;
  tokenStart: GPUBuffer;
  tokenPositions: GPUBuffer;
  /** The residual stream [rows, dModel]; after the forward pass, the last block's output. */
  residual: GPUBuffer;
  layers: LayerActivations[];
  lnfXhat: GPUBuffer;
  lnfRstd: GPUBuffer;
  lnfOut: GPUBuffer;
  logits: GPUBuffer;
  dLogits: GPUBuffer;
  dResidual: GPUBuffer;
  dNormOut: GPUBuffer;
  dAttnOut: GPUBuffer;
  dQkv: GPUBuffer;
  dScores: GPUBuffer;
  dHidden: GPUBuffer;
  rowLoss: GPUBuffer;
  normPartials: GPUBuffer;
  /** [loss, gradient norm, clip factor, 0, loss of window 0, …, of window batch−1] of the last step, f32. */
  stats: GPUBuffer;
  /** AdamW's per-step uniform (rate, bias corrections). */
  adamwStep: GPUBuffer;
}

const F32 = 4;
/** The scalars at the start of the stats buffer; the per-window losses follow them. */
export const STATS_HEADER = 4;

export function allocateTrainingBuffers(
  device: GPUDevice,
  layout: ParameterLayout,
  batch: number,
  length: number,
): { buffers: TrainingBuffers; owned: GPUBuffer[] } {
  const { dModel: d, ffn: f, vocabSize: V, heads: H, layers: layerCount } = layout.config;
  const rows = batch * length;
  const scores = batch * H * length * length;
  const total = layout.total;
  const owned: GPUBuffer[] = [];
  const buffer = (label: string, elements: number, usage = 0): GPUBuffer => {
    const b = device.createBuffer({
      label,
      size: Math.max(16, Math.ceil((elements * F32) / 16) * 16),
      usage: BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST | usage,
    });
    owned.push(b);
    return b;
  };

  const layers: LayerActivations[] = [];
  for (let l = 0; l < layerCount; l++) {
    const p = `layer ${l}`;
    layers.push({
      ln1Xhat: buffer(`${p} ln1 xhat`, rows * d),
      ln1Rstd: buffer(`${p} ln1 rstd`, rows),
      ln1Out: buffer(`${p} ln1 out`, rows * d),
      qkv: buffer(`${p} qkv`, 3 * rows * d),
      probs: buffer(`${p} attention weights`, scores),
      attnOut: buffer(`${p} attention out`, rows * d),
      ln2Xhat: buffer(`${p} ln2 xhat`, rows * d),
      ln2Rstd: buffer(`${p} ln2 rstd`, rows),
      ln2Out: buffer(`${p} ln2 out`, rows * d),
      mlpPre: buffer(`${p} mlp pre`, rows * f),
      mlpAct: buffer(`${p} mlp act`, rows * f),
    });
  }
  const adamwStep = device.createBuffer({
    label: 'adamw step uniform',
    size: ADAMW_UNIFORM_BYTES,
    usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
  });
  owned.push(adamwStep);
  const buffers: TrainingBuffers = {
    params: buffer('params', total),
    grads: buffer('grads', total),
    m: buffer('adam m', total),
    v: buffer('adam v', total),
    decayMask: buffer('decay mask', total),
    tokens: buffer('tokens', rows),
    targets: buffer('targets', rows),
    weights: buffer('loss weights', rows),
    t: buffer('t', batch),
    tokenStart: buffer('token index start', V + 1),
    tokenPositions: buffer('token index positions', rows),
    residual: buffer('residual', rows * d),
    layers,
    lnfXhat: buffer('lnf xhat', rows * d),
    lnfRstd: buffer('lnf rstd', rows),
    lnfOut: buffer('lnf out', rows * d),
    logits: buffer('logits', rows * V),
    dLogits: buffer('dLogits', rows * V),
    dResidual: buffer('dResidual', rows * d),
    dNormOut: buffer('dNormOut', rows * d),
    dAttnOut: buffer('dAttnOut', rows * d),
    dQkv: buffer('dQkv', 3 * rows * d),
    dScores: buffer('dScores', scores),
    dHidden: buffer('dHidden', rows * f),
    rowLoss: buffer('row loss', rows),
    normPartials: buffer('norm partials', normPartialCount(total)),
    stats: buffer('stats', STATS_HEADER + batch),
    adamwStep,
  };

  device.queue.writeBuffer(buffers.decayMask, 0, Float32Array.from(weightDecayMask(layout)));
  return { buffers, owned };
}

import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/**
 * The input of the network (forward.ts): h0[b,i] = tok_emb[x[b,i]] + pos_emb[i]
 * (+ t[b]·time_w + time_b when time-conditioned), one invocation per element of h0.
 */
export const EMBEDDING_FORWARD_WGSL = /* wgsl */ `
struct Params {
  rows: u32, length: u32, dim: u32, timeConditioning: u32,
  tokOff: u32, posOff: u32, timeWOff: u32, timeBOff: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> tokens: array<i32>;
@group(0) @binding(2) var<storage, read> t: array<f32>;
@group(0) @binding(3) var<storage, read> params: array<f32>;
@group(0) @binding(4) var<storage, read_write> h: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let e = flatIndex(wid, nwg, li);
  if (e >= p.rows * p.dim) { return; }
  let n = e / p.dim;
  let c = e % p.dim;
  let i = n % p.length;
  var v = params[p.tokOff + u32(tokens[n]) * p.dim + c] + params[p.posOff + i * p.dim + c];
  if (p.timeConditioning != 0u) {
    v += t[n / p.length] * params[p.timeWOff + c] + params[p.timeBOff + c];
  }
  h[e] = v;
}
`;

/**
 * ∂loss/∂(embedding parameters) from dh = ∂loss/∂h0, written into the flat gradient buffer.
 * One invocation per gradient element, each summing its rows in ascending order (deterministic,
 * no atomics). The token table's rows come from a per-step index built on the CPU
 * (tokenPositionIndex): for token v, the positions holding v are
 * positions[start[v] .. start[v+1]), so each sum touches only its own positions.
 * Rows of pos_emb at or beyond the window length get exact zeros.
 */
export const EMBEDDING_BACKWARD_WGSL = /* wgsl */ `
struct Params {
  rows: u32, length: u32, dim: u32, timeConditioning: u32,
  tokOff: u32, posOff: u32, timeWOff: u32, timeBOff: u32,
  vocab: u32, seqLen: u32, batch: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dh: array<f32>;
@group(0) @binding(2) var<storage, read> start: array<u32>;
@group(0) @binding(3) var<storage, read> positions: array<u32>;
@group(0) @binding(4) var<storage, read> t: array<f32>;
@group(0) @binding(5) var<storage, read_write> grads: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  var s = flatIndex(wid, nwg, li);
  let tokCount = p.vocab * p.dim;
  if (s < tokCount) {
    let v = s / p.dim;
    let c = s % p.dim;
    var sum = 0.0;
    for (var j = start[v]; j < start[v + 1u]; j++) { sum += dh[positions[j] * p.dim + c]; }
    grads[p.tokOff + s] = sum;
    return;
  }
  s -= tokCount;
  let posCount = p.seqLen * p.dim;
  if (s < posCount) {
    let i = s / p.dim;
    let c = s % p.dim;
    var sum = 0.0;
    if (i < p.length) {
      for (var b = 0u; b < p.batch; b++) { sum += dh[(b * p.length + i) * p.dim + c]; }
    }
    grads[p.posOff + s] = sum;
    return;
  }
  s -= posCount;
  if (p.timeConditioning == 0u || s >= 2u * p.dim) { return; }
  let c = s % p.dim;
  let isWeight = s < p.dim;
  var sum = 0.0;
  for (var n = 0u; n < p.rows; n++) {
    let g = dh[n * p.dim + c];
    if (isWeight) { sum += t[n / p.length] * g; } else { sum += g; }
  }
  if (isWeight) { grads[p.timeWOff + c] = sum; } else { grads[p.timeBOff + c] = sum; }
}
`;

export interface EmbeddingPipelines {
  embeddingForward: GPUComputePipeline;
  embeddingBackward: GPUComputePipeline;
}

export interface EmbeddingShape {
  batch: number;
  length: number;
  dim: number;
  vocab: number;
  seqLen: number;
  timeConditioning: boolean;
  /** Element offsets of the tables in the parameter / gradient buffer (time ones 0 if absent). */
  tokOffset: number;
  posOffset: number;
  timeWOffset: number;
  timeBOffset: number;
}

function commonFields(s: EmbeddingShape): UniformWriter {
  return new UniformWriter()
    .u32(s.batch * s.length)
    .u32(s.length)
    .u32(s.dim)
    .u32(s.timeConditioning ? 1 : 0)
    .u32(s.tokOffset)
    .u32(s.posOffset)
    .u32(s.timeWOffset)
    .u32(s.timeBOffset);
}

export function embeddingForwardDispatch(
  k: EmbeddingPipelines,
  shape: EmbeddingShape,
  bufs: { tokens: GPUBuffer; t: GPUBuffer; params: GPUBuffer; h: GPUBuffer },
): DispatchSpec {
  return {
    label: 'embedding forward',
    pipeline: k.embeddingForward,
    uniform: commonFields(shape).finish(),
    storage: [bufs.tokens, bufs.t, bufs.params, bufs.h],
    workgroups: grid1d(shape.batch * shape.length * shape.dim, ITEM_WORKGROUP),
  };
}

export function embeddingBackwardDispatch(
  k: EmbeddingPipelines,
  shape: EmbeddingShape,
  bufs: {
    dh: GPUBuffer;
    tokenStart: GPUBuffer;
    tokenPositions: GPUBuffer;
    t: GPUBuffer;
    grads: GPUBuffer;
  },
): DispatchSpec {
  const slots = (shape.vocab + shape.seqLen + (shape.timeConditioning ? 2 : 0)) * shape.dim;
  return {
    label: 'embedding backward',
    pipeline: k.embeddingBackward,
    uniform: commonFields(shape).u32(shape.vocab).u32(shape.seqLen).u32(shape.batch).finish(),
    storage: [bufs.dh, bufs.tokenStart, bufs.tokenPositions, bufs.t, bufs.grads],
    workgroups: grid1d(slots, ITEM_WORKGROUP),
  };
}

/**
 * The per-step index the embedding backward reads: positions grouped by token id in ascending
 * order (a counting sort). start has vocab + 1 entries; positions one per token.
 */
export function tokenPositionIndex(
  tokens: Int32Array,
  vocab: number,
  start: Uint32Array,
  positions: Uint32Array,
): void {
  start.fill(0);
  for (let n = 0; n < tokens.length; n++) start[tokens[n] + 1]++;
  for (let v = 0; v < vocab; v++) start[v + 1] += start[v];
  const next = start.slice(0, vocab);
  for (let n = 0; n < tokens.length; n++) positions[next[tokens[n]]++] = n;
}

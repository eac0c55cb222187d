import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/**
 * The softmax between the two attention products (attention.ts); the products themselves are
 * batched matmuls. Scores are [batch, heads, length, length], one invocation per query row.
 *
 * Forward, in place: A = softmax(S) over keys, subtracting the row maximum first; when causal,
 * keys after the query are left out of max and sum and stored as exact zeros.
 */
export const SOFTMAX_FORWARD_WGSL = /* wgsl */ `
struct Params { rows: u32, length: u32, causal: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> s: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = flatIndex(wid, nwg, li);
  if (row >= p.rows) { return; }
  let o = row * p.length;
  var keys = p.length;
  if (p.causal != 0u) { keys = row % p.length + 1u; }
  var mx = s[o];
  for (var j = 1u; j < keys; j++) { mx = max(mx, s[o + j]); }
  var sum = 0.0;
  for (var j = 0u; j < keys; j++) {
    let e = exp(s[o + j] - mx);
    s[o + j] = e;
    sum += e;
  }
  let inv = 1.0 / sum;
  for (var j = 0u; j < keys; j++) { s[o + j] *= inv; }
  for (var j = keys; j < p.length; j++) { s[o + j] = 0.0; }
}
`;

/**
 * Backward, in place on dA = ∂loss/∂A: dS_ij = A_ij·(dA_ij − Σ_j' A_ij'·dA_ij')·scale, the
 * scale being the 1/√dHead of the scores (so dq = dS·k and dk = dSᵀ·q need no further factor).
 * Masked entries have A = 0, hence dS = 0.
 */
export const SOFTMAX_BACKWARD_WGSL = /* wgsl */ `
struct Params { rows: u32, length: u32, scale: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read_write> ds: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let row = flatIndex(wid, nwg, li);
  if (row >= p.rows) { return; }
  let o = row * p.length;
  var rowDot = 0.0;
  for (var j = 0u; j < p.length; j++) { rowDot += a[o + j] * ds[o + j]; }
  for (var j = 0u; j < p.length; j++) { ds[o + j] = a[o + j] * (ds[o + j] - rowDot) * p.scale; }
}
`;

export interface SoftmaxPipelines {
  softmaxForward: GPUComputePipeline;
  softmaxBackward: GPUComputePipeline;
}

/** `rows` = batch·heads·length query rows of `length` keys each. */
export function softmaxForwardDispatch(
  k: SoftmaxPipelines,
  label: string,
  rows: number,
  length: number,
  causal: boolean,
  scores: GPUBuffer,
): DispatchSpec {
  return {
    label,
    pipeline: k.softmaxForward,
    uniform: new UniformWriter()
      .u32(rows)
      .u32(length)
      .u32(causal ? 1 : 0)
      .finish(),
    storage: [scores],
    workgroups: grid1d(rows, ITEM_WORKGROUP),
  };
}

export function softmaxBackwardDispatch(
  k: SoftmaxPipelines,
  label: string,
  rows: number,
  length: number,
  scale: number,
  probs: GPUBuffer,
  dProbs: GPUBuffer,
): DispatchSpec {
  return {
    label,
    pipeline: k.softmaxBackward,
    uniform: new UniformWriter().u32(rows).u32(length).f32(scale).finish(),
    storage: [probs, dProbs],
    workgroups: grid1d(rows, ITEM_WORKGROUP),
  };
}

import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/**
 * LayerNorm as layerNorm.ts specifies: biased variance taken around the mean (two passes),
 * rstd = 1/√(var + eps). One invocation per row: rows are short (dModel) and many.
 * gamma and beta are read from the flat parameter buffer at their offsets.
 */
export const LAYER_NORM_FORWARD_WGSL = /* wgsl */ `
struct Params { rows: u32, dim: u32, gammaOff: u32, betaOff: u32, eps: f32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read> params: array<f32>;
@group(0) @binding(3) var<storage, read_write> y: array<f32>;
@group(0) @binding(4) var<storage, read_write> xhat: array<f32>;
@group(0) @binding(5) var<storage, read_write> rstd: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let r = flatIndex(wid, nwg, li);
  if (r >= p.rows) { return; }
  let o = r * p.dim;
  var sum = 0.0;
  for (var c = 0u; c < p.dim; c++) { sum += x[o + c]; }
  let mean = sum / f32(p.dim);
  var sq = 0.0;
  for (var c = 0u; c < p.dim; c++) {
    let dev = x[o + c] - mean;
    sq += dev * dev;
  }
  let inv = 1.0 / sqrt(sq / f32(p.dim) + p.eps);
  rstd[r] = inv;
  for (var c = 0u; c < p.dim; c++) {
    let n = (x[o + c] - mean) * inv;
    xhat[o + c] = n;
    y[o + c] = n * params[p.gammaOff + c] + params[p.betaOff + c];
  }
}
`;

/**
 * ∂loss/∂x of LayerNorm, written or added into dx (the residual stream's gradient already
 * holds the skip path): g = dy·gamma, dx = rstd·(g − mean(g) − xhat·mean(g·xhat)).
 */
export const LAYER_NORM_BACKWARD_INPUT_WGSL = /* wgsl */ `
struct Params { rows: u32, dim: u32, gammaOff: u32, accumulate: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> xhat: array<f32>;
@group(0) @binding(3) var<storage, read> rstd: array<f32>;
@group(0) @binding(4) var<storage, read> params: array<f32>;
@group(0) @binding(5) var<storage, read_write> dx: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let r = flatIndex(wid, nwg, li);
  if (r >= p.rows) { return; }
  let o = r * p.dim;
  var sumG = 0.0;
  var sumGx = 0.0;
  for (var c = 0u; c < p.dim; c++) {
    let g = dy[o + c] * params[p.gammaOff + c];
    sumG += g;
    sumGx += g * xhat[o + c];
  }
  let meanG = sumG / f32(p.dim);
  let meanGx = sumGx / f32(p.dim);
  let inv = rstd[r];
  for (var c = 0u; c < p.dim; c++) {
    var v = inv * (dy[o + c] * params[p.gammaOff + c] - meanG - xhat[o + c] * meanGx);
    if (p.accumulate != 0u) { v += dx[o + c]; }
    dx[o + c] = v;
  }
}
`;

/**
 * ∂loss/∂gamma[c] = Σ_r dy[r,c]·xhat[r,c] and ∂loss/∂beta[c] = Σ_r dy[r,c], one invocation per
 * column summing the rows in order: deterministic, and free of barriers (see matmulKernel.ts).
 * Written into the flat gradient buffer.
 */
export const LAYER_NORM_BACKWARD_PARAMS_WGSL = /* wgsl */ `
struct Params { rows: u32, dim: u32, gammaOff: u32, betaOff: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> dy: array<f32>;
@group(0) @binding(2) var<storage, read> xhat: array<f32>;
@group(0) @binding(3) var<storage, read_write> grads: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let c = flatIndex(wid, nwg, li);
  if (c >= p.dim) { return; }
  var sg = 0.0;
  var sb = 0.0;
  for (var r = 0u; r < p.rows; r++) {
    let d = dy[r * p.dim + c];
    sg += d * xhat[r * p.dim + c];
    sb += d;
  }
  grads[p.gammaOff + c] = sg;
  grads[p.betaOff + c] = sb;
}
`;

export interface LayerNormPipelines {
  forward: GPUComputePipeline;
  backwardInput: GPUComputePipeline;
  backwardParams: GPUComputePipeline;
}

export interface LayerNormShape {
  rows: number;
  dim: number;
  /** Element offsets of gamma and beta in the parameter (and gradient) buffer. */
  gammaOffset: number;
  betaOffset: number;
}

export function layerNormForwardDispatch(
  k: LayerNormPipelines,
  label: string,
  shape: LayerNormShape,
  eps: number,
  x: GPUBuffer,
  params: GPUBuffer,
  out: { y: GPUBuffer; xhat: GPUBuffer; rstd: GPUBuffer },
): DispatchSpec {
  const uniform = new UniformWriter()
    .u32(shape.rows)
    .u32(shape.dim)
    .u32(shape.gammaOffset)
    .u32(shape.betaOffset)
    .f32(eps)
    .finish();
  return {
    label,
    pipeline: k.forward,
    uniform,
    storage: [x, params, out.y, out.xhat, out.rstd],
    workgroups: grid1d(shape.rows, ITEM_WORKGROUP),
  };
}

export function layerNormBackwardInputDispatch(
  k: LayerNormPipelines,
  label: string,
  shape: LayerNormShape,
  bufs: { dy: GPUBuffer; xhat: GPUBuffer; rstd: GPUBuffer; params: GPUBuffer; dx: GPUBuffer },
  accumulate: boolean,
): DispatchSpec {
  const uniform = new UniformWriter()
    .u32(shape.rows)
    .u32(shape.dim)
    .u32(shape.gammaOffset)
    .u32(accumulate ? 1 : 0)
    .finish();
  return {
    label,
    pipeline: k.backwardInput,
    uniform,
    storage: [bufs.dy, bufs.xhat, bufs.rstd, bufs.params, bufs.dx],
    workgroups: grid1d(shape.rows, ITEM_WORKGROUP),
  };
}

export function layerNormBackwardParamsDispatch(
  k: LayerNormPipelines,
  label: string,
  shape: LayerNormShape,
  bufs: { dy: GPUBuffer; xhat: GPUBuffer; grads: GPUBuffer },
): DispatchSpec {
  const uniform = new UniformWriter()
    .u32(shape.rows)
    .u32(shape.dim)
    .u32(shape.gammaOffset)
    .u32(shape.betaOffset)
    .finish();
  return {
    label,
    pipeline: k.backwardParams,
    uniform,
    storage: [bufs.dy, bufs.xhat, bufs.grads],
    workgroups: grid1d(shape.dim, ITEM_WORKGROUP),
  };
}

import type { AdamWOptions } from '../../model/adamw';
import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FINITE_WGSL, FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/**
 * AdamW with global-norm clipping, one invocation per parameter, exactly adamw.ts:
 *   g ← g·clip,  m ← β1·m + (1−β1)·g,  v ← β2·v + (1−β2)·g²,
 *   p ← p·(1 − lr·weightDecay) where decayed,  p ← p − stepSize·m / (√v·secondCorrection + eps)
 * with stepSize = lr/(1−β1^step) and secondCorrection = 1/√(1−β2^step) computed on the CPU in
 * float64 for the step about to be taken (adamwUniform) and written before each submission.
 * clip and the norm come from the stats kernel. A non-finite gradient norm leaves params, m
 * and v untouched (where the CPU reference throws): one bad batch cannot poison the weights,
 * and the reader sees the non-finite norm in the step's record.
 */
export const ADAMW_WGSL = /* wgsl */ `
struct Step {
  count: u32, stepSize: f32, secondCorrection: f32, decay: f32,
  beta1: f32, beta2: f32, eps: f32,
}
@group(0) @binding(0) var<uniform> p: Step;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read> grads: array<f32>;
@group(0) @binding(3) var<storage, read_write> m: array<f32>;
@group(0) @binding(4) var<storage, read_write> v: array<f32>;
@group(0) @binding(5) var<storage, read> decayMask: array<f32>;
@group(0) @binding(6) var<storage, read> stats: array<f32>;
${FLAT_INDEX_WGSL}
${FINITE_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = flatIndex(wid, nwg, li);
  if (i >= p.count || !isFiniteF32(stats[1])) { return; }
  let g = grads[i] * stats[2];
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  var w = params[i];
  if (decayMask[i] != 0.0) { w = w * p.decay; }
  params[i] = w - p.stepSize * mi / (sqrt(vi) * p.secondCorrection + p.eps);
}
`;

/** Bytes of the per-step uniform block. */
export const ADAMW_UNIFORM_BYTES = 32;

/** The per-step uniform for update number `step` (1 for the first update) at rate `lr`. */
export function adamwUniform(
  count: number,
  step: number,
  lr: number,
  options: Omit<AdamWOptions, 'lr'>,
): Uint32Array {
  const stepSize = lr / (1 - Math.pow(options.beta1, step));
  const secondCorrection = 1 / Math.sqrt(1 - Math.pow(options.beta2, step));
  const words = new UniformWriter()
    .u32(count)
    .f32(stepSize)
    .f32(secondCorrection)
    .f32(1 - lr * options.weightDecay)
    .f32(options.beta1)
    .f32(options.beta2)
    .f32(options.eps)
    .finish();
  const padded = new Uint32Array(ADAMW_UNIFORM_BYTES / 4);
  padded.set(words);
  return padded;
}

export interface AdamWPipelines {
  adamw: GPUComputePipeline;
}

export function adamwDispatch(
  k: AdamWPipelines,
  count: number,
  stepUniform: GPUBuffer,
  bufs: {
    params: GPUBuffer;
    grads: GPUBuffer;
    m: GPUBuffer;
    v: GPUBuffer;
    decayMask: GPUBuffer;
    stats: GPUBuffer;
  },
): DispatchSpec {
  return {
    label: 'adamw',
    pipeline: k.adamw,
    uniform: stepUniform,
    storage: [bufs.params, bufs.grads, bufs.m, bufs.v, bufs.decayMask, bufs.stats],
    workgroups: grid1d(count, ITEM_WORKGROUP),
  };
}

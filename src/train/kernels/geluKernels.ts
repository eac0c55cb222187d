import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FLAT_INDEX_WGSL, GELU_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/** act = gelu(pre), element-wise (the MLP's activation, tanh form as in gelu.ts). */
export const GELU_FORWARD_WGSL = /* wgsl */ `
struct Params { count: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pre: array<f32>;
@group(0) @binding(2) var<storage, read_write> act: array<f32>;
${FLAT_INDEX_WGSL}
${GELU_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = flatIndex(wid, nwg, li);
  if (i >= p.count) { return; }
  act[i] = gelu(pre[i]);
}
`;

/** dHidden ← dHidden · gelu'(pre), in place: the gradient through the activation. */
export const GELU_BACKWARD_WGSL = /* wgsl */ `
struct Params { count: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> pre: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
${FLAT_INDEX_WGSL}
${GELU_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let i = flatIndex(wid, nwg, li);
  if (i >= p.count) { return; }
  grad[i] = grad[i] * geluGrad(pre[i]);
}
`;

export interface GeluPipelines {
  geluForward: GPUComputePipeline;
  geluBackward: GPUComputePipeline;
}

export function geluForwardDispatch(
  k: GeluPipelines,
  label: string,
  count: number,
  pre: GPUBuffer,
  act: GPUBuffer,
): DispatchSpec {
  return {
    label,
    pipeline: k.geluForward,
    uniform: new UniformWriter().u32(count).finish(),
    storage: [pre, act],
    workgroups: grid1d(count, ITEM_WORKGROUP),
  };
}

export function geluBackwardDispatch(
  k: GeluPipelines,
  label: string,
  count: number,
  pre: GPUBuffer,
  grad: GPUBuffer,
): DispatchSpec {
  return {
    label,
    pipeline: k.geluBackward,
    uniform: new UniformWriter().u32(count).finish(),
    storage: [pre, grad],
    workgroups: grid1d(count, ITEM_WORKGROUP),
  };
}

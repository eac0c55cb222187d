import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/** Elements summed by one invocation of the gradient-norm partials. */
export const NORM_CHUNK = 1024;

/**
 * First stage of the global gradient norm: partials[g] = Σ x[i]² over the chunk
 * i ∈ [g·chunk, (g+1)·chunk), in order; the stats kernel adds the partials in order. Fixed
 * chunks make the sum deterministic, and no barrier is needed (software adapters run barriers
 * slowly; see matmulKernel.ts).
 */
export const SQUARED_NORM_PARTIALS_WGSL = /* wgsl */ `
struct Params { count: u32, partials: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> x: array<f32>;
@group(0) @binding(2) var<storage, read_write> partials: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let g = flatIndex(wid, nwg, li);
  if (g >= p.partials) { return; }
  let end = min((g + 1u) * ${NORM_CHUNK}u, p.count);
  var s = 0.0;
  for (var i = g * ${NORM_CHUNK}u; i < end; i++) { s += x[i] * x[i]; }
  partials[g] = s;
}
`;

export interface ReductionPipelines {
  squaredNormPartials: GPUComputePipeline;
}

/** How many partial sums the norm's first stage writes for `count` elements. */
export function normPartialCount(count: number): number {
  return Math.max(1, Math.ceil(count / NORM_CHUNK));
}

export function squaredNormPartialsDispatch(
  k: ReductionPipelines,
  count: number,
  x: GPUBuffer,
  partials: GPUBuffer,
): DispatchSpec {
  const groups = normPartialCount(count);
  return {
    label: 'gradient norm partials',
    pipeline: k.squaredNormPartials,
    uniform: new UniformWriter().u32(count).u32(groups).finish(),
    storage: [x, partials],
    workgroups: grid1d(groups, ITEM_WORKGROUP),
  };
}

import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import {
  chooseTile,
  LARGE_TILE,
  type MatmulArgs,
  matmulDispatch,
  type MatmulPipelines,
  SMALL_TILE,
} from './matmulKernel';
import { FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/**
 * Split-K for the tiled (GPU) matmul. A weight gradient Xᵀ·dY has a small output (d × n) and a
 * long k (batch · L rows): the tiled kernel gives each 32 × 32 output tile one workgroup, which
 * walks all of k, so a handful of workgroups run while the rest of a GPU waits (on an H200 at
 * batch 256 it was the one product where TensorFlow.js-WebGPU beat ours). Here k is cut into S
 * chunks: one batched dispatch of the same kernel writes the S partial products into a scratch
 * buffer (the chunk index on the outer batch axis), and a second, elementwise dispatch sums
 * them in a fixed order into C. No atomics, and the same result on every run.
 */
export interface SplitKSettings {
  /** Fewest k steps per chunk: shorter chunks cost more in the sum than they save. */
  minChunk: number;
  maxSplits: number;
  /** Split only products with fewer output tiles (times inner batch) than this. */
  maxTiles: number;
}

export const SPLIT_K: SplitKSettings = { minChunk: 256, maxSplits: 32, maxTiles: 128 };

export interface SplitKPlan {
  splits: number;
  /** k steps per chunk: k / splits. */
  chunk: number;
}

/** Output tiles of the tiled kernel for this product (over the inner batch). */
function tileCount(args: MatmulArgs): number {
  const rows = args.m + (args.onesRow ? 1 : 0);
  const tile = chooseTile(rows, args.n) === 'large' ? LARGE_TILE : SMALL_TILE;
  return Math.ceil(rows / tile.tileM) * Math.ceil(args.n / tile.tileN) * (args.batchInner ?? 1);
}

/**
 * How to split this product, or null to leave it whole: only the tiled variant, only products
 * with no outer batch (the split takes that axis) and no bias (the sum does not add one), and
 * only when the output has few tiles and k divides into chunks of at least minChunk.
 */
export function splitKPlan(
  variant: MatmulPipelines['variant'],
  args: MatmulArgs,
  settings: SplitKSettings | null,
): SplitKPlan | null {
  if (variant !== 'tiled' || !settings) return null;
  if ((args.batchOuter ?? 1) !== 1 || args.bias) return null;
  if (tileCount(args) >= settings.maxTiles) return null;
  const most = Math.min(settings.maxSplits, Math.floor(args.k / settings.minChunk));
  for (let splits = most; splits >= 2; splits--) {
    if (args.k % splits === 0) return { splits, chunk: args.k / splits };
  }
  return null;
}

/** Floats of the scratch buffer: S partial products of every inner batch entry. */
export function splitKScratchFloats(args: MatmulArgs, plan: SplitKPlan): number {
  const rows = args.m + (args.onesRow ? 1 : 0);
  return plan.splits * (args.batchInner ?? 1) * rows * args.n;
}

export const SPLIT_K_REDUCE_WGSL = /* wgsl */ `
struct Params {
  total: u32, splits: u32, n: u32, rows: u32, m: u32,
  cOff: u32, cRow: u32, cZi: u32, onesOff: u32, onesZi: u32, accumulate: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> c: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) lid: u32) {
  let i = flatIndex(wid, nwg, lid);
  if (i >= p.total) { return; }
  // partials[s][zi][r][col], s outermost: entry i of every chunk is total apart.
  var sum = 0.0;
  for (var s = 0u; s < p.splits; s++) { sum += partials[s * p.total + i]; }
  let col = i % p.n;
  let r = (i / p.n) % p.rows;
  let zi = i / (p.n * p.rows);
  var at: u32;
  if (r < p.m) {
    at = p.cOff + zi * p.cZi + r * p.cRow + col;
  } else {
    at = p.onesOff + zi * p.onesZi + col;
  }
  if (p.accumulate != 0u) { sum += c[at]; }
  c[at] = sum;
}
`;

/**
 * The two dispatches of a split product: the partial products into `scratch` (at least
 * splitKScratchFloats floats), then their sum into C (and the ones row's destination).
 */
export function splitKDispatches(
  pipelines: Extract<MatmulPipelines, { variant: 'tiled' }>,
  reduce: GPUComputePipeline,
  args: MatmulArgs,
  plan: SplitKPlan,
  scratch: GPUBuffer,
): DispatchSpec[] {
  const inner = args.batchInner ?? 1;
  const rows = args.m + (args.onesRow ? 1 : 0);
  const slice = rows * args.n;
  const total = inner * slice;
  const partials = matmulDispatch(pipelines, {
    label: `${args.label} (split-K partials)`,
    m: args.m,
    n: args.n,
    k: plan.chunk,
    // Chunk s reads k in [s·chunk, (s+1)·chunk): each operand moves along k by its k stride.
    a: { ...args.a, zOuterStride: plan.chunk * args.a.colStride },
    b: { ...args.b, zOuterStride: plan.chunk * args.b.rowStride },
    c: {
      buffer: scratch,
      offset: 0,
      rowStride: args.n,
      colStride: 1,
      zOuterStride: total,
      zInnerStride: slice,
    },
    onesRow: args.onesRow
      ? { offset: args.m * args.n, zOuterStride: total, zInnerStride: slice }
      : undefined,
    alpha: args.alpha,
    batchOuter: plan.splits,
    batchInner: inner,
  });
  const c = args.c;
  const uniform = new UniformWriter()
    .u32(total)
    .u32(plan.splits)
    .u32(args.n)
    .u32(rows)
    .u32(args.m)
    .u32(c.offset)
    .u32(c.rowStride)
    .u32(c.zInnerStride ?? 0)
    .u32(args.onesRow?.offset ?? 0)
    .u32(args.onesRow?.zInnerStride ?? 0)
    .u32(args.accumulate ? 1 : 0)
    .finish();
  return [
    partials,
    {
      label: `${args.label} (split-K sum of ${plan.splits})`,
      pipeline: reduce,
      uniform,
      storage: [scratch, c.buffer],
      workgroups: grid1d(total, ITEM_WORKGROUP),
    },
  ];
}

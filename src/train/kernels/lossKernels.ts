import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/**
 * Weighted cross-entropy per position (crossEntropy.ts): with w = weights[n],
 *   rowLoss[n] = w · (logsumexp(logits_n) − logits_n[target]),
 *   dLogits_n  = w · (softmax(logits_n) − onehot(target)).
 * The weights carry the whole reduction ('elbo' or 'mean', computed on the CPU); a position
 * with w = 0 gives exact zeros and its target (−1) is not read. One invocation per position;
 * the batch sum of rowLoss is taken by the stats kernel.
 */
export const CROSS_ENTROPY_WGSL = /* wgsl */ `
struct Params { rows: u32, vocab: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> logits: array<f32>;
@group(0) @binding(2) var<storage, read> targets: array<i32>;
@group(0) @binding(3) var<storage, read> weights: array<f32>;
@group(0) @binding(4) var<storage, read_write> dLogits: array<f32>;
@group(0) @binding(5) var<storage, read_write> rowLoss: array<f32>;
${FLAT_INDEX_WGSL}
@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let n = flatIndex(wid, nwg, li);
  if (n >= p.rows) { return; }
  let o = n * p.vocab;
  let w = weights[n];
  if (w == 0.0) {
    for (var v = 0u; v < p.vocab; v++) { dLogits[o + v] = 0.0; }
    rowLoss[n] = 0.0;
    return;
  }
  var mx = logits[o];
  for (var v = 1u; v < p.vocab; v++) { mx = max(mx, logits[o + v]); }
  var sum = 0.0;
  for (var v = 0u; v < p.vocab; v++) { sum += exp(logits[o + v] - mx); }
  let lse = mx + log(sum);
  let tgt = u32(targets[n]);
  rowLoss[n] = w * (lse - logits[o + tgt]);
  for (var v = 0u; v < p.vocab; v++) { dLogits[o + v] = w * exp(logits[o + v] - lse); }
  dLogits[o + tgt] -= w;
}
`;

/**
 * The step's scalars, by a single invocation summing in order (deterministic, no barrier):
 * stats[0] = Σ rowLoss (the batch loss), stats[1] = the global gradient norm √Σ partials
 * (from the gradient-norm kernel), stats[2] = the clip factor min(1, maxGradNorm / norm).
 * With windowLength > 0, stats[4 + b] = the loss of window b (its positions' sum), so the loss
 * can be charted against each row's masking ratio; the batch sum is unchanged by it.
 */
export const STEP_STATS_WGSL = /* wgsl */ `
struct Params { rows: u32, partials: u32, maxGradNorm: f32, windowLength: u32 }
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> rowLoss: array<f32>;
@group(0) @binding(2) var<storage, read> partials: array<f32>;
@group(0) @binding(3) var<storage, read_write> stats: array<f32>;
@compute @workgroup_size(1)
fn main() {
  var loss = 0.0;
  var window = 0.0;
  for (var n = 0u; n < p.rows; n++) {
    loss += rowLoss[n];
    if (p.windowLength > 0u) {
      window += rowLoss[n];
      if ((n + 1u) % p.windowLength == 0u) {
        stats[4u + n / p.windowLength] = window;
        window = 0.0;
      }
    }
  }
  var sq = 0.0;
  for (var g = 0u; g < p.partials; g++) { sq += partials[g]; }
  let norm = sqrt(sq);
  stats[0] = loss;
  stats[1] = norm;
  var clip = 1.0;
  if (norm > p.maxGradNorm) { clip = p.maxGradNorm / norm; }
  stats[2] = clip;
}
`;

export interface LossPipelines {
  crossEntropy: GPUComputePipeline;
  stepStats: GPUComputePipeline;
}

export function crossEntropyDispatch(
  k: LossPipelines,
  rows: number,
  vocab: number,
  bufs: {
    logits: GPUBuffer;
    targets: GPUBuffer;
    weights: GPUBuffer;
    dLogits: GPUBuffer;
    rowLoss: GPUBuffer;
  },
): DispatchSpec {
  return {
    label: 'cross-entropy',
    pipeline: k.crossEntropy,
    uniform: new UniformWriter().u32(rows).u32(vocab).finish(),
    storage: [bufs.logits, bufs.targets, bufs.weights, bufs.dLogits, bufs.rowLoss],
    workgroups: grid1d(rows, ITEM_WORKGROUP),
  };
}

/**
 * maxGradNorm = Infinity turns clipping off (the clip factor stays 1). windowLength > 0 also
 * writes each window's loss after the scalars (stats must then hold 4 + rows / windowLength).
 */
export function stepStatsDispatch(
  k: LossPipelines,
  rows: number,
  partialCount: number,
  maxGradNorm: number,
  bufs: { rowLoss: GPUBuffer; partials: GPUBuffer; stats: GPUBuffer },
  windowLength = 0,
): DispatchSpec {
  return {
    label: 'step stats',
    pipeline: k.stepStats,
    uniform: new UniformWriter()
      .u32(rows)
      .u32(partialCount)
      .f32(Math.min(maxGradNorm, 3.4e38))
      .u32(windowLength)
      .finish(),
    storage: [bufs.rowLoss, bufs.partials, bufs.stats],
    workgroups: [1, 1, 1],
  };
}

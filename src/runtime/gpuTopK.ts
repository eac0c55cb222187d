import { BufferUsage } from '../train/gpuFlags';

/**
 * Per-position top-k of a model call's logits, on the GPU: for each row of [rows, vocab] logits
 * in a GPU buffer (onnxruntime-web's output with IO binding), the k most probable token ids,
 * best first, and their softmax probabilities (the first is the position's confidence). A call
 * then reads rows·k·8 bytes back instead of rows·vocab·4: 40 instead of 588 bytes a position
 * for the toy vocabulary and k = 5, 40 instead of 500 kB for a 128k vocabulary.
 *
 * One workgroup per row: each invocation keeps the top k of its strided slice of the row, the
 * workgroup reduces the row's maximum and Σexp(x − max), and invocation 0 merges the
 * WORKGROUP·k candidates. Ties go to the lower id (as ONNX TopK's).
 */
export const TOPK_WORKGROUP = 64;
/** The largest k the kernel keeps per invocation. */
export const TOPK_MAX = 8;

export const TOPK_WGSL = /* wgsl */ `
struct Params { rows: u32, vocab: u32, k: u32, pad: u32 }
@group(0) @binding(0) var<storage, read> logits: array<f32>;
@group(0) @binding(1) var<storage, read_write> probs: array<f32>;
@group(0) @binding(2) var<storage, read_write> ids: array<u32>;
@group(0) @binding(3) var<uniform> params: Params;

const WG = ${TOPK_WORKGROUP}u;
const KMAX = ${TOPK_MAX}u;
const LOWEST = -3.4028234e38;
var<workgroup> candidateValues: array<f32, ${TOPK_WORKGROUP * TOPK_MAX}>;
var<workgroup> candidateIds: array<u32, ${TOPK_WORKGROUP * TOPK_MAX}>;
var<workgroup> partial: array<f32, ${TOPK_WORKGROUP}>;

// a ranks above b: larger value, or the same value and a lower id.
fn above(va: f32, ia: u32, vb: f32, ib: u32) -> bool {
  return va > vb || (va == vb && ia < ib);
}

@compute @workgroup_size(${TOPK_WORKGROUP})
fn main(@builtin(workgroup_id) group: vec3u, @builtin(local_invocation_index) lid: u32) {
  let row = group.x;
  let k = params.k;
  let base = row * params.vocab;
  var values: array<f32, ${TOPK_MAX}>;
  var found: array<u32, ${TOPK_MAX}>;
  for (var i = 0u; i < KMAX; i++) { values[i] = LOWEST; found[i] = 0xffffffffu; }
  for (var j = lid; j < params.vocab; j += WG) {
    var v = logits[base + j];
    var id = j;
    // Insertion into the sorted list of this invocation's best k.
    for (var i = 0u; i < k; i++) {
      if (above(v, id, values[i], found[i])) {
        let tv = values[i]; let ti = found[i];
        values[i] = v; found[i] = id;
        v = tv; id = ti;
      }
    }
  }
  for (var i = 0u; i < KMAX; i++) {
    candidateValues[lid * KMAX + i] = values[i];
    candidateIds[lid * KMAX + i] = found[i];
  }
  partial[lid] = values[0];
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { partial[lid] = max(partial[lid], partial[lid + stride]); }
    workgroupBarrier();
  }
  let rowMax = partial[0];
  workgroupBarrier();
  var sum = 0.0;
  for (var j = lid; j < params.vocab; j += WG) { sum += exp(logits[base + j] - rowMax); }
  partial[lid] = sum;
  workgroupBarrier();
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    if (lid < stride) { partial[lid] += partial[lid + stride]; }
    workgroupBarrier();
  }
  if (lid == 0u) {
    let total = partial[0];
    for (var i = 0u; i < k; i++) {
      var best = 0u;
      for (var c = 1u; c < WG * KMAX; c++) {
        if (above(candidateValues[c], candidateIds[c], candidateValues[best], candidateIds[best])) {
          best = c;
        }
      }
      probs[row * k + i] = exp(candidateValues[best] - rowMax) / total;
      ids[row * k + i] = candidateIds[best];
      candidateValues[best] = LOWEST;
      candidateIds[best] = 0xffffffffu;
    }
  }
}
`;

export interface GpuTopK {
  /** Records the reduction of `logits` ([rows, vocab] float32) into the output buffers. */
  encode(encoder: GPUCommandEncoder): void;
  /** Outputs: [rows, k] float32 probabilities and [rows, k] uint32 ids. */
  readonly probs: GPUBuffer;
  readonly ids: GPUBuffer;
  destroy(): void;
}

export function createGpuTopK(
  device: GPUDevice,
  logits: GPUBuffer,
  rows: number,
  vocab: number,
  k: number,
): GpuTopK {
  if (!Number.isInteger(k) || k < 1 || k > Math.min(TOPK_MAX, vocab)) {
    throw new RangeError(`k must be a whole number from 1 to ${Math.min(TOPK_MAX, vocab)}`);
  }
  const module = device.createShaderModule({ code: TOPK_WGSL });
  const pipeline = device.createComputePipeline({
    layout: 'auto',
    compute: { module, entryPoint: 'main' },
  });
  const usage = BufferUsage.STORAGE | BufferUsage.COPY_SRC;
  const probs = device.createBuffer({ size: rows * k * 4, usage });
  const ids = device.createBuffer({ size: rows * k * 4, usage });
  const params = device.createBuffer({
    size: 16,
    usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(params, 0, new Uint32Array([rows, vocab, k, 0]));
  const bindGroup = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [logits, probs, ids, params].map((buffer, binding) => ({
      binding,
      resource: { buffer },
    })),
  });
  return {
    probs,
    ids,
    encode(encoder) {
      const pass = encoder.beginComputePass();
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroups(rows);
      pass.end();
    },
    destroy() {
      probs.destroy();
      ids.destroy();
      params.destroy();
    },
  };
}

/** The same top-k on the CPU (float64 softmax): what the kernel must return. */
export function cpuTopK(
  logits: ArrayLike<number>,
  rows: number,
  vocab: number,
  k: number,
): { probs: Float64Array; ids: Uint32Array } {
  const probs = new Float64Array(rows * k);
  const ids = new Uint32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const row = Array.from({ length: vocab }, (_, j) => logits[r * vocab + j]);
    const max = Math.max(...row);
    const total = row.reduce((a, x) => a + Math.exp(x - max), 0);
    const order = row.map((_, j) => j).sort((a, b) => row[b] - row[a] || a - b);
    for (let i = 0; i < k; i++) {
      ids[r * k + i] = order[i];
      probs[r * k + i] = Math.exp(row[order[i]] - max) / total;
    }
  }
  return { probs, ids };
}

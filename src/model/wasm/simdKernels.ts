import type { AttentionShape } from '../attention';
import { KERNELS_WASM_BASE64 } from './kernelsWasm';

/**
 * The CPU trainer's SIMD kernels (kernelsWat.ts) behind plain functions on Float32Arrays. The
 * module has its own memory: operands that are views of it are used in place, others are
 * copied into a scratch region above them (and `out` back), so callers need not know.
 *
 * Instantiated synchronously on first use (workers and Node; a page's main thread refuses to
 * compile a module over 4 kB synchronously); null where WebAssembly or its SIMD is missing or
 * refused, and then callers keep the JavaScript kernels.
 */

interface Exports {
  memory: WebAssembly.Memory;
  matmul(
    out: number,
    a: number,
    aRowStride: number,
    aColStride: number,
    b: number,
    rows: number,
    inner: number,
    cols: number,
    bias: number,
    accumulate: number,
    bSums: number,
  ): void;
  gelu(out: number, x: number, n: number): void;
  geluBackward(d: number, pre: number, n: number): void;
  softmaxRows(out: number, x: number, stats: number, rows: number, cols: number): void;
  attention(
    q: number,
    k: number,
    v: number,
    probs: number,
    out: number,
    batch: number,
    length: number,
    heads: number,
    headDim: number,
    causal: number,
    scale: number,
  ): void;
  attentionBackward(
    q: number,
    k: number,
    v: number,
    probs: number,
    dOut: number,
    dq: number,
    dk: number,
    dv: number,
    dS: number,
    batch: number,
    length: number,
    heads: number,
    headDim: number,
    scale: number,
  ): void;
}

export interface SimdKernels {
  /** src/model/matmul.ts's matmul, for float32. */
  matmul(
    out: Float32Array,
    a: Float32Array,
    aRowStride: number,
    aColStride: number,
    b: Float32Array,
    rows: number,
    inner: number,
    cols: number,
    bias: Float32Array | null,
    accumulate: boolean,
    /** When given, also bSums[c] += Σ_k b[k, c]. */
    bSums?: Float32Array | null,
  ): void;
  /** out[i] = gelu(x[i]) for i < n. */
  gelu(out: Float32Array, x: Float32Array, n: number): void;
  /** d[i] ·= gelu'(pre[i]) for i < n. */
  geluBackward(d: Float32Array, pre: Float32Array, n: number): void;
  /**
   * out[r, ·] = softmax(x[r, ·]) for r < rows; stats[2r] = the row's max and stats[2r + 1] =
   * Σ exp(x − max), so log-sum-exp is max + log(sum).
   */
  softmaxRows(
    out: Float32Array,
    x: Float32Array,
    stats: Float32Array,
    rows: number,
    cols: number,
  ): void;
  /** attention.ts's attentionForward (shape.headDim a multiple of 4). */
  attention(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    shape: AttentionShape,
    probs: Float32Array,
    out: Float32Array,
  ): void;
  /** attention.ts's attentionBackward (shape.headDim a multiple of 4). */
  attentionBackward(
    q: Float32Array,
    k: Float32Array,
    v: Float32Array,
    probs: Float32Array,
    dOut: Float32Array,
    shape: AttentionShape,
    dq: Float32Array,
    dk: Float32Array,
    dv: Float32Array,
  ): void;
}

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const PAGE = 65536;

function createKernels(exports: Exports): SimdKernels {
  const memory = exports.memory;
  let heap = new Float32Array(memory.buffer);
  /** Bytes at the bottom of the memory that scratch copies never touch (none yet). */
  const scratchStart = 0;

  /** Byte offsets for `sizes` floats each, growing the memory when needed. */
  function reserve(sizes: number[]): number[] {
    const offsets: number[] = [];
    let at = scratchStart;
    for (const n of sizes) {
      offsets.push(at);
      at += Math.ceil((n * 4) / 16) * 16;
    }
    if (at > memory.buffer.byteLength) {
      memory.grow(Math.ceil((at - memory.buffer.byteLength) / PAGE));
    }
    if (heap.buffer !== memory.buffer) heap = new Float32Array(memory.buffer);
    return offsets;
  }

  return {
    matmul(out, a, aRowStride, aColStride, b, rows, inner, cols, bias, accumulate, bSums) {
      if (rows === 0 || cols === 0) return;
      const aLength = inner === 0 ? 0 : (rows - 1) * aRowStride + (inner - 1) * aColStride + 1;
      const outLength = rows * cols;
      const [pOut, pA, pB, pBias, pSums] = reserve([
        outLength,
        aLength,
        inner * cols,
        bias ? cols : 0,
        bSums ? cols : 0,
      ]);
      if (accumulate) heap.set(out.subarray(0, outLength), pOut / 4);
      heap.set(a.subarray(0, aLength), pA / 4);
      heap.set(b.subarray(0, inner * cols), pB / 4);
      if (bias) heap.set(bias.subarray(0, cols), pBias / 4);
      if (bSums) heap.set(bSums.subarray(0, cols), pSums / 4);
      exports.matmul(
        pOut,
        pA,
        aRowStride,
        aColStride,
        pB,
        rows,
        inner,
        cols,
        bias ? pBias : 0,
        accumulate ? 1 : 0,
        bSums ? pSums : 0,
      );
      out.set(heap.subarray(pOut / 4, pOut / 4 + outLength));
      if (bSums) bSums.set(heap.subarray(pSums / 4, pSums / 4 + cols));
    },
    gelu(out, x, n) {
      const [pOut, pX] = reserve([n, n]);
      heap.set(x.subarray(0, n), pX / 4);
      exports.gelu(pOut, pX, n);
      out.set(heap.subarray(pOut / 4, pOut / 4 + n));
    },
    softmaxRows(out, x, stats, rows, cols) {
      const n = rows * cols;
      const [pOut, pX, pStats] = reserve([n, n, 2 * rows]);
      heap.set(x.subarray(0, n), pX / 4);
      exports.softmaxRows(pOut, pX, pStats, rows, cols);
      out.set(heap.subarray(pOut / 4, pOut / 4 + n));
      stats.set(heap.subarray(pStats / 4, pStats / 4 + 2 * rows));
    },
    attention(q, k, v, shape, probs, out) {
      const { batch, length: L, heads, headDim } = shape;
      const n = batch * L * heads * headDim;
      const nProbs = batch * heads * L * L;
      const [pQ, pK, pV, pProbs, pOut] = reserve([n, n, n, nProbs, n]);
      heap.set(q.subarray(0, n), pQ / 4);
      heap.set(k.subarray(0, n), pK / 4);
      heap.set(v.subarray(0, n), pV / 4);
      const scale = 1 / Math.sqrt(headDim);
      exports.attention(
        pQ,
        pK,
        pV,
        pProbs,
        pOut,
        batch,
        L,
        heads,
        headDim,
        shape.causal ? 1 : 0,
        scale,
      );
      probs.set(heap.subarray(pProbs / 4, pProbs / 4 + nProbs));
      out.set(heap.subarray(pOut / 4, pOut / 4 + n));
    },
    attentionBackward(q, k, v, probs, dOut, shape, dq, dk, dv) {
      const { batch, length: L, heads, headDim } = shape;
      const n = batch * L * heads * headDim;
      const nProbs = batch * heads * L * L;
      const [pQ, pK, pV, pProbs, pDOut, pDq, pDk, pDv, pDS] = reserve([
        n,
        n,
        n,
        nProbs,
        n,
        n,
        n,
        n,
        L * L,
      ]);
      heap.set(q.subarray(0, n), pQ / 4);
      heap.set(k.subarray(0, n), pK / 4);
      heap.set(v.subarray(0, n), pV / 4);
      heap.set(probs.subarray(0, nProbs), pProbs / 4);
      heap.set(dOut.subarray(0, n), pDOut / 4);
      const scale = 1 / Math.sqrt(headDim);
      exports.attentionBackward(
        pQ,
        pK,
        pV,
        pProbs,
        pDOut,
        pDq,
        pDk,
        pDv,
        pDS,
        batch,
        L,
        heads,
        headDim,
        scale,
      );
      dq.set(heap.subarray(pDq / 4, pDq / 4 + n));
      dk.set(heap.subarray(pDk / 4, pDk / 4 + n));
      dv.set(heap.subarray(pDv / 4, pDv / 4 + n));
    },
    geluBackward(d, pre, n) {
      const [pD, pPre] = reserve([n, n]);
      heap.set(d.subarray(0, n), pD / 4);
      heap.set(pre.subarray(0, n), pPre / 4);
      exports.geluBackward(pD, pPre, n);
      d.set(heap.subarray(pD / 4, pD / 4 + n));
    },
  };
}

let cached: SimdKernels | null | undefined;
let enabled = true;

/** Off: every caller keeps its JavaScript kernels (for comparisons and the bench's baseline). */
export function setSimdKernelsEnabled(on: boolean): void {
  enabled = on;
}

/** The kernels, or null where this runtime cannot run them (or they are switched off). */
export function simdKernels(): SimdKernels | null {
  if (!enabled) return null;
  if (cached !== undefined) return cached;
  try {
    const module = new WebAssembly.Module(decodeBase64(KERNELS_WASM_BASE64));
    const instance = new WebAssembly.Instance(module, {});
    cached = createKernels(instance.exports as unknown as Exports);
  } catch {
    cached = null;
  }
  return cached;
}

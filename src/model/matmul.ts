import type { FloatArray } from './parameterLayout';
import { simdKernels } from './wasm/simdKernels';

/**
 * Dense kernels for the CPU reference, written for V8: plain loops over typed arrays, i-k-j
 * order so the innermost loop streams one contiguous row of `b` and one of `out`. The main
 * block computes 4 output rows from 4 inner indices at once, so each loaded element of `b`
 * feeds 4 rows and each `out` element is read and written once per 4 inner steps; that
 * measured about 5× faster than the naive triple loop. No allocation happens inside.
 */

/** Products smaller than this many multiply-adds stay in JavaScript (the copies would cost more). */
const SIMD_MIN_WORK = 512;

/**
 * out[r, c] (+)= Σ_k a(r, k) · b[k, c] (+ bias[c]), with a(r, k) = a[r·aRowStride + k·aColStride].
 * `b` is [inner, cols] row-major and `out` [rows, cols]. The strides let the same kernel read a
 * matrix as its transpose (aRowStride = 1, aColStride = rows of the stored matrix), which is how
 * the weight gradients Xᵀ·dY are formed without copying X.
 * With accumulate = false, out is overwritten (starting from bias, or zero); with true, the
 * product (and bias) is added to what out holds, e.g. a residual stream.
 */
export function matmul<T extends FloatArray>(
  out: T,
  a: T,
  aRowStride: number,
  aColStride: number,
  b: T,
  rows: number,
  inner: number,
  cols: number,
  bias: T | null,
  accumulate: boolean,
  /** When given, also bColumnSums[c] += Σ_k b[k, c]: with b = dY, a bias gradient. */
  bColumnSums: T | null = null,
): void {
  // Float32 products go to the WebAssembly SIMD kernel where it runs; float64 (the gradient
  // checks, the GPU trainer's parity reference) never does.
  if (out instanceof Float32Array && rows * inner * cols >= SIMD_MIN_WORK) {
    const simd = simdKernels();
    if (simd) {
      simd.matmul(
        out,
        a as Float32Array,
        aRowStride,
        aColStride,
        b as Float32Array,
        rows,
        inner,
        cols,
        bias as Float32Array | null,
        accumulate,
        bColumnSums as Float32Array | null,
      );
      return;
    }
  }
  matmulJs(out, a, aRowStride, aColStride, b, rows, inner, cols, bias, accumulate);
  if (bColumnSums) addColumnSums(bColumnSums, b, inner, cols);
}

/** The JavaScript kernel: the reference the SIMD kernel is tested against, and float64's. */
export function matmulJs<T extends FloatArray>(
  out: T,
  a: T,
  aRowStride: number,
  aColStride: number,
  b: T,
  rows: number,
  inner: number,
  cols: number,
  bias: T | null,
  accumulate: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    if (!accumulate) {
      if (bias) for (let c = 0; c < cols; c++) out[o + c] = bias[c];
      else out.fill(0, o, o + cols);
    } else if (bias) {
      for (let c = 0; c < cols; c++) out[o + c] += bias[c];
    }
  }
  const innerMain = inner - (inner % 4);
  const ks = aColStride;
  let r = 0;
  for (; r + 3 < rows; r += 4) {
    const o0 = r * cols;
    const o1 = o0 + cols;
    const o2 = o1 + cols;
    const o3 = o2 + cols;
    const a0 = r * aRowStride;
    const a1 = a0 + aRowStride;
    const a2 = a1 + aRowStride;
    const a3 = a2 + aRowStride;
    let k = 0;
    for (; k < innerMain; k += 4) {
      const kk = k * ks;
      const x00 = a[a0 + kk];
      const x01 = a[a0 + kk + ks];
      const x02 = a[a0 + kk + 2 * ks];
      const x03 = a[a0 + kk + 3 * ks];
      const x10 = a[a1 + kk];
      const x11 = a[a1 + kk + ks];
      const x12 = a[a1 + kk + 2 * ks];
      const x13 = a[a1 + kk + 3 * ks];
      const x20 = a[a2 + kk];
      const x21 = a[a2 + kk + ks];
      const x22 = a[a2 + kk + 2 * ks];
      const x23 = a[a2 + kk + 3 * ks];
      const x30 = a[a3 + kk];
      const x31 = a[a3 + kk + ks];
      const x32 = a[a3 + kk + 2 * ks];
      const x33 = a[a3 + kk + 3 * ks];
      const b0 = k * cols;
      const b1 = b0 + cols;
      const b2 = b1 + cols;
      const b3 = b2 + cols;
      for (let c = 0; c < cols; c++) {
        const p = b[b0 + c];
        const q = b[b1 + c];
        const s = b[b2 + c];
        const u = b[b3 + c];
        out[o0 + c] += x00 * p + x01 * q + x02 * s + x03 * u;
        out[o1 + c] += x10 * p + x11 * q + x12 * s + x13 * u;
        out[o2 + c] += x20 * p + x21 * q + x22 * s + x23 * u;
        out[o3 + c] += x30 * p + x31 * q + x32 * s + x33 * u;
      }
    }
    for (; k < inner; k++) {
      const kk = k * ks;
      const x0 = a[a0 + kk];
      const x1 = a[a1 + kk];
      const x2 = a[a2 + kk];
      const x3 = a[a3 + kk];
      const bk = k * cols;
      for (let c = 0; c < cols; c++) {
        const p = b[bk + c];
        out[o0 + c] += x0 * p;
        out[o1 + c] += x1 * p;
        out[o2 + c] += x2 * p;
        out[o3 + c] += x3 * p;
      }
    }
  }
  for (; r < rows; r++) {
    const o = r * cols;
    const ar = r * aRowStride;
    for (let k = 0; k < inner; k++) {
      const x = a[ar + k * ks];
      const bk = k * cols;
      for (let c = 0; c < cols; c++) out[o + c] += x * b[bk + c];
    }
  }
}

/** out[c, r] = m[r, c] for a row-major [rows, cols] matrix m. */
export function transposeInto<T extends FloatArray>(
  out: T,
  m: T,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) out[c * rows + r] = m[o + c];
  }
}

/** sums[c] += Σ_r m[r, c]: the gradient of a bias broadcast over rows. */
export function addColumnSums<T extends FloatArray>(
  sums: T,
  m: T,
  rows: number,
  cols: number,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) sums[c] += m[o + c];
  }
}

import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { attentionBackward, attentionForward, type AttentionShape } from '../attention';
import { gelu, geluGrad } from '../gelu';
import { matmulJs } from '../matmul';
import { simdKernels } from './simdKernels';

const kernels = simdKernels();

function random(rng: Rng, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal());
}

/** The JavaScript kernel in float64 on the same float32 inputs: the reference. */
function reference(
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
): Float64Array {
  const o = Float64Array.from(out);
  const bias64 = bias ? Float64Array.from(bias) : null;
  matmulJs(
    o,
    Float64Array.from(a),
    aRowStride,
    aColStride,
    Float64Array.from(b),
    rows,
    inner,
    cols,
    bias64,
    accumulate,
  );
  return o;
}

describe('SIMD kernels (WebAssembly f32x4)', () => {
  it('are available in this runtime (Node and every browser the app supports)', () => {
    expect(kernels).not.toBeNull();
  });

  it('matmul (and its column sums of b) matches the JavaScript kernel for every block and remainder, plain and transposed A', () => {
    const rng = new Rng(3);
    // rows: multiples of 4 and remainders; cols: 8-wide blocks, one 4-wide block, scalars.
    const shapes = [
      [1, 1, 1],
      [4, 3, 8],
      [5, 7, 13],
      [8, 16, 4],
      [11, 9, 3],
      [16, 64, 147],
      [64, 33, 20],
    ];
    for (const [rows, inner, cols] of shapes) {
      for (const transposed of [false, true]) {
        for (const [withBias, accumulate] of [
          [false, false],
          [true, false],
          [false, true],
          [true, true],
        ]) {
          const a = random(rng, rows * inner);
          const b = random(rng, inner * cols);
          const bias = withBias ? random(rng, cols) : null;
          const out = random(rng, rows * cols);
          // Transposed: a holds an [inner, rows] matrix read as its transpose.
          const [ars, acs] = transposed ? [1, rows] : [inner, 1];
          const want = reference(out, a, ars, acs, b, rows, inner, cols, bias, accumulate);
          // The column sums of b, added to what bSums holds (a bias gradient, b = dY).
          const bSums = random(rng, cols);
          const wantSums = Float64Array.from(bSums);
          for (let k = 0; k < inner; k++) {
            for (let c = 0; c < cols; c++) wantSums[c] += b[k * cols + c];
          }
          kernels!.matmul(out, a, ars, acs, b, rows, inner, cols, bias, accumulate, bSums);
          for (let i = 0; i < want.length; i++) {
            expect(Math.abs(out[i] - want[i])).toBeLessThan(1e-5 * (1 + Math.sqrt(inner)));
          }
          for (let c = 0; c < cols; c++) {
            expect(Math.abs(bSums[c] - wantSums[c])).toBeLessThan(1e-5 * (1 + Math.sqrt(inner)));
          }
        }
      }
    }
  });

  it('matmul leaves the rest of out alone and reads views at their offsets', () => {
    const rng = new Rng(4);
    const big = random(rng, 100);
    const a = big.subarray(10, 10 + 6 * 5);
    const b = big.subarray(50, 50 + 5 * 9);
    const outBuffer = new Float32Array(6 * 9 + 3).fill(7);
    const out = outBuffer.subarray(0, 6 * 9);
    const want = reference(out, a, 5, 1, b, 6, 5, 9, null, false);
    kernels!.matmul(out, a, 5, 1, b, 6, 5, 9, null, false);
    for (let i = 0; i < want.length; i++) expect(out[i]).toBeCloseTo(want[i], 5);
    expect(Array.from(outBuffer.subarray(6 * 9))).toEqual([7, 7, 7]);
  });

  it('gelu and its derivative match gelu.ts to float32 precision, tails and saturation included', () => {
    // −30…30: both saturations (exp clamped), 0, and a length that is not a multiple of 4.
    const n = 6003;
    const x = Float32Array.from({ length: n }, (_, i) => -30 + (60 * i) / (n - 1));
    const out = new Float32Array(n);
    kernels!.gelu(out, x, n);
    const d = Float32Array.from({ length: n }, (_, i) => 1 + (i % 7) / 7);
    const dBefore = d.slice();
    kernels!.geluBackward(d, x, n);
    for (let i = 0; i < n; i++) {
      const want = gelu(x[i]);
      expect(Math.abs(out[i] - want)).toBeLessThan(2e-6 * (1 + Math.abs(want)));
      const wantD = dBefore[i] * geluGrad(x[i]);
      expect(Math.abs(d[i] - wantD)).toBeLessThan(4e-6 * (1 + Math.abs(wantD)));
    }
    expect(out[0]).toBe(-0);
    expect(out[n - 1]).toBe(30);
  });

  it('attention forward and backward match attention.ts in float64, bidirectional and causal', () => {
    const rng = new Rng(9);
    const shapes: AttentionShape[] = [
      { batch: 2, length: 16, heads: 4, headDim: 16, causal: false },
      { batch: 3, length: 5, heads: 2, headDim: 8, causal: true },
      { batch: 1, length: 7, heads: 1, headDim: 4, causal: false },
    ];
    for (const shape of shapes) {
      const { batch, length: L, heads, headDim } = shape;
      const n = batch * L * heads * headDim;
      const [q, k, v, dOut] = [0, 1, 2, 3].map(() => random(rng, n));
      const f64 = (x: Float32Array) => Float64Array.from(x);
      const wantProbs = new Float64Array(batch * heads * L * L);
      const wantOut = new Float64Array(n);
      attentionForward(f64(q), f64(k), f64(v), shape, wantProbs, wantOut);
      const probs = new Float32Array(wantProbs.length);
      const out = new Float32Array(n);
      kernels!.attention(q, k, v, shape, probs, out);
      const close = (got: Float32Array, want: Float64Array, tol: number) => {
        for (let i = 0; i < want.length; i++) {
          expect(Math.abs(got[i] - want[i]), `${i}`).toBeLessThan(tol * (1 + Math.abs(want[i])));
        }
      };
      close(probs, wantProbs, 2e-6);
      close(out, wantOut, 1e-5);
      const want = [0, 1, 2].map(() => new Float64Array(n));
      attentionBackward(
        f64(q),
        f64(k),
        f64(v),
        wantProbs,
        f64(dOut),
        shape,
        want[0],
        want[1],
        want[2],
      );
      const got = [0, 1, 2].map(() => new Float32Array(n));
      kernels!.attentionBackward(q, k, v, probs, dOut, shape, got[0], got[1], got[2]);
      for (let j = 0; j < 3; j++) close(got[j], want[j], 2e-5);
    }
  });

  it('softmaxRows gives each row its softmax, max and Σ exp(x − max), for widths with tails', () => {
    const rng = new Rng(11);
    for (const cols of [1, 4, 147, 150]) {
      const rows = 5;
      const x = Float32Array.from({ length: rows * cols }, () => 8 * rng.normal());
      const out = new Float32Array(rows * cols);
      const stats = new Float32Array(2 * rows);
      kernels!.softmaxRows(out, x, stats, rows, cols);
      for (let r = 0; r < rows; r++) {
        const row = Array.from(x.subarray(r * cols, (r + 1) * cols));
        const max = Math.max(...row);
        const sum = row.reduce((a, v) => a + Math.exp(v - max), 0);
        expect(stats[2 * r]).toBe(Math.fround(max));
        expect(Math.abs(stats[2 * r + 1] - sum) / sum).toBeLessThan(1e-6);
        for (let c = 0; c < cols; c++) {
          const p = Math.exp(row[c] - max) / sum;
          expect(Math.abs(out[r * cols + c] - p)).toBeLessThan(2e-6 * p + 1e-12);
        }
      }
    }
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { addColumnSums, matmul, transposeInto } from './matmul';

const random = (rng: Rng, n: number) => Float64Array.from({ length: n }, () => rng.normal());

/** The textbook triple loop, as the independent reference. */
function naive(
  a: (r: number, k: number) => number,
  b: Float64Array,
  rows: number,
  inner: number,
  cols: number,
) {
  const out = new Float64Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      let s = 0;
      for (let k = 0; k < inner; k++) s += a(r, k) * b[k * cols + c];
      out[r * cols + c] = s;
    }
  }
  return out;
}

describe('matmul', () => {
  const rng = new Rng(1);
  // Sizes that exercise the 4×4 blocks and every remainder path.
  const shapes = [
    [1, 1, 1],
    [4, 4, 4],
    [7, 5, 3],
    [9, 10, 6],
    [16, 12, 7],
  ];

  it('matches the triple loop, with bias, for sizes with and without remainders', () => {
    for (const [rows, inner, cols] of shapes) {
      const a = random(rng, rows * inner);
      const b = random(rng, inner * cols);
      const bias = random(rng, cols);
      const out = new Float64Array(rows * cols).fill(99);
      matmul(out, a, inner, 1, b, rows, inner, cols, bias, false);
      const ref = naive((r, k) => a[r * inner + k], b, rows, inner, cols);
      for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(ref[i] + bias[i % cols], 12);
    }
  });

  it('reads a transposed left operand through its strides and accumulates', () => {
    for (const [rows, inner, cols] of shapes) {
      // a is stored as [inner, rows]; the product uses its transpose.
      const stored = random(rng, inner * rows);
      const b = random(rng, inner * cols);
      const start = random(rng, rows * cols);
      const out = start.slice();
      matmul(out, stored, 1, rows, b, rows, inner, cols, null, true);
      const ref = naive((r, k) => stored[k * rows + r], b, rows, inner, cols);
      for (let i = 0; i < out.length; i++) expect(out[i]).toBeCloseTo(start[i] + ref[i], 12);
    }
  });
});

describe('transposeInto and addColumnSums', () => {
  it('transpose a 2×3 matrix and sum its columns', () => {
    const m = Float64Array.from([1, 2, 3, 4, 5, 6]);
    const t = new Float64Array(6);
    transposeInto(t, m, 2, 3);
    expect([...t]).toEqual([1, 4, 2, 5, 3, 6]);
    const sums = Float64Array.from([10, 0, 0]);
    addColumnSums(sums, m, 2, 3);
    expect([...sums]).toEqual([15, 7, 9]);
  });

  it("matmul's bColumnSums adds the column sums of b (the SIMD kernel's are in wasm/simdKernels.test.ts)", () => {
    // a = [1 2], b = the 2×3 matrix above: out = [9 12 15], b's column sums [5 7 9].
    for (const F of [Float64Array, Float32Array]) {
      const out = new F(3);
      const sums = F.from([1, 1, 1]);
      matmul(out, F.from([1, 2]), 2, 1, F.from([1, 2, 3, 4, 5, 6]), 1, 2, 3, null, false, sums);
      expect([...out]).toEqual([9, 12, 15]);
      expect([...sums]).toEqual([6, 8, 10]);
    }
  });
});

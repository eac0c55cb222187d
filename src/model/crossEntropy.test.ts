import { describe, expect, it } from 'vitest';
import { maskedCrossEntropy } from './crossEntropy';

describe('maskedCrossEntropy', () => {
  it('matches hand-computed values', () => {
    // Row 0: logits (0, ln 2, ln 3) → softmax (1/6, 2/6, 3/6); target 2: −log(1/2) = ln 2.
    // Row 1: logits (1, 1, 1) → softmax 1/3 each; target 0: ln 3.
    // Row 2: weight 0, its target −1 is never read.
    const logits = Float64Array.from([0, Math.log(2), Math.log(3), 1, 1, 1, 5, -5, 0]);
    const targets = Int32Array.from([2, 0, -1]);
    const weights = [0.25, 0.5, 0];
    const { loss, dLogits, positionLoss } = maskedCrossEntropy(logits, targets, weights, 3);
    expect(loss).toBeCloseTo(0.25 * Math.log(2) + 0.5 * Math.log(3), 14);
    expect(positionLoss[0]).toBeCloseTo(0.25 * Math.log(2), 14);
    expect(positionLoss[1]).toBeCloseTo(0.5 * Math.log(3), 14);
    expect(positionLoss[2]).toBe(0);
    const expected = [
      0.25 * (1 / 6),
      0.25 * (2 / 6),
      0.25 * (3 / 6 - 1),
      0.5 * (1 / 3 - 1),
      0.5 / 3,
      0.5 / 3,
      0,
      0,
      0,
    ];
    expected.forEach((e, i) => expect(dLogits[i]).toBeCloseTo(e, 14));
    expect(dLogits).toBeInstanceOf(Float64Array);
  });

  it('is stable for huge logits', () => {
    // log(e^1000 + e^0) − 0 = 1000 + log(1 + e^−1000) = 1000 exactly in float64.
    const { loss, dLogits } = maskedCrossEntropy(
      Float32Array.from([1000, 0]),
      Int32Array.from([1]),
      [1],
      2,
    );
    expect(loss).toBe(1000);
    expect(dLogits).toBeInstanceOf(Float32Array);
    expect([...dLogits]).toEqual([1, -1]);
  });

  it('returns the derivative of its loss (central differences)', () => {
    const logits = Float64Array.from({ length: 12 }, (_, i) => Math.sin(3 * i));
    const targets = Int32Array.from([3, 0, 2]);
    const weights = [0.7, 0.2, 1.3];
    const { dLogits } = maskedCrossEntropy(logits, targets, weights, 4);
    const h = 1e-6;
    for (let i = 0; i < logits.length; i++) {
      const plus = logits.slice();
      plus[i] += h;
      const minus = logits.slice();
      minus[i] -= h;
      const numeric =
        (maskedCrossEntropy(plus, targets, weights, 4).loss -
          maskedCrossEntropy(minus, targets, weights, 4).loss) /
        (2 * h);
      expect(dLogits[i]).toBeCloseTo(numeric, 8);
    }
  });

  it('refuses out-of-range targets at weighted positions and mismatched sizes', () => {
    const logits = new Float64Array(6);
    expect(() => maskedCrossEntropy(logits, Int32Array.from([0, 3]), [1, 1], 3)).toThrow(
      /target 3 at position 1 is outside the vocabulary \[0, 3\)/,
    );
    expect(() => maskedCrossEntropy(logits, Int32Array.from([0, 0, 0]), [1, 1, 1], 3)).toThrow(
      /logits/,
    );
    expect(() => maskedCrossEntropy(logits, Int32Array.from([0, 0]), [1], 3)).toThrow(/weights/);
  });
});

describe('maskedCrossEntropy in float32 (the SIMD softmax)', () => {
  it('gives the float64 loss, row terms and gradient to float32 precision', () => {
    const vocab = 147;
    const positions = 12;
    const logits = Float64Array.from(
      { length: positions * vocab },
      (_, i) => Math.sin(i * 0.37) * 6,
    );
    const targets = Int32Array.from({ length: positions }, (_, n) =>
      n % 3 === 0 ? -1 : (n * 29) % vocab,
    );
    const weights = Array.from({ length: positions }, (_, n) => (n % 3 === 0 ? 0 : 0.05 * (n + 1)));
    const want = maskedCrossEntropy(logits, targets, weights, vocab);
    const got = maskedCrossEntropy(Float32Array.from(logits), targets, weights, vocab);
    expect(got.loss).toBeCloseTo(want.loss, 5);
    for (let n = 0; n < positions; n++) {
      expect(got.positionLoss[n]).toBeCloseTo(want.positionLoss[n], 5);
    }
    for (let i = 0; i < logits.length; i++) {
      expect(Math.abs(got.dLogits[i] - want.dLogits[i])).toBeLessThan(1e-7);
    }
    // Rows without weight have an exact zero gradient.
    expect(got.dLogits.subarray(0, vocab).every((x) => x === 0)).toBe(true);
  });
});

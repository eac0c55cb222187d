import { describe, expect, it } from 'vitest';
import { ADAMW_UNIFORM_BYTES, adamwUniform } from './adamwKernel';

const asFloat = (word: number) => new Float32Array(Uint32Array.of(word).buffer)[0];

describe('adamwUniform', () => {
  it('holds the bias corrections of the update about to be taken', () => {
    const options = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, maxGradNorm: 1 };
    const words = adamwUniform(1234, 2, 0.01, options);
    expect(words.byteLength).toBe(ADAMW_UNIFORM_BYTES);
    expect(words[0]).toBe(1234);
    // step 2: stepSize = lr / (1 − 0.9²) = 0.01 / 0.19, secondCorrection = 1 / √(1 − 0.99²)
    expect(asFloat(words[1])).toBeCloseTo(0.01 / 0.19, 7);
    expect(asFloat(words[2])).toBeCloseTo(1 / Math.sqrt(1 - 0.9801), 5);
    expect(asFloat(words[3])).toBeCloseTo(1 - 0.01 * 0.1, 7);
    expect([4, 5, 6].map((i) => asFloat(words[i]))).toEqual([
      Math.fround(0.9),
      Math.fround(0.99),
      Math.fround(1e-8),
    ]);
  });
});

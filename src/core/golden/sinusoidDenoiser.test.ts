import { describe, expect, it } from 'vitest';
import { SinusoidDenoiser, sinusoidLogits } from './sinusoidDenoiser';

const params = { vocabSize: 4, maskId: 0, a: 1.433, b: 0.0117, c: 80 };

describe('sinusoid mock', () => {
  it('follows the README formula', () => {
    // x = [2, 0, 3]: S = 1·2 + 2·0 + 3·3 = 11
    const out = sinusoidLogits([2, 0, 3], params);
    expect(out.length).toBe(12);
    expect(out[0]).toBe(80 * Math.sin(1.433 + 0.0117 * 11));
    // i = 2, v = 1: a·3·2 + b·S
    expect(out[2 * 4 + 1]).toBe(80 * Math.sin(1.433 * 3 * 2 + 0.0117 * 11));
  });

  it('is a Denoiser with float32 logits and an exact float64 view', async () => {
    const d = new SinusoidDenoiser(params, 3);
    const tokens = Int32Array.from([1, 2, 3, 3, 2, 1]);
    const f32 = await d.logits(tokens, 2);
    const f64 = await d.exact.logits(tokens, 2);
    expect(f32).toBeInstanceOf(Float32Array);
    expect(f64).toBeInstanceOf(Float64Array);
    expect(Array.from(f32)).toEqual(Array.from(f64, Math.fround));
    // Rows are independent: the second row's S is 3 + 4 + 3 = 10.
    expect(f64[12]).toBe(80 * Math.sin(1.433 + 0.0117 * 10));
    await expect(d.logits(tokens, 1)).rejects.toThrow(/expected 1 × 3/);
  });
});

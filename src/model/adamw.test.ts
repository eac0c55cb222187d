import { describe, expect, it } from 'vitest';
import { adamwStep, createAdamWState, globalNorm, weightDecayMask } from './adamw';
import { buildParameterLayout } from './parameterLayout';
import { tinyConfig } from './testNetworks';

describe('adamwStep', () => {
  const options = {
    lr: 0.1,
    beta1: 0.9,
    beta2: 0.99,
    eps: 1e-8,
    weightDecay: 0.5,
    maxGradNorm: 0.65,
  };
  const decay = Uint8Array.from([1, 0, 1, 0]);

  it('takes two steps that match numbers computed by hand', () => {
    const params = Float64Array.from([1, -2, 0.5, 3]);
    const state = createAdamWState(4);

    // Step 1: ‖(0.3, −0.4, 0, 1.2)‖ = √1.69 = 1.3 > 0.65, so g = (0.15, −0.2, 0, 0.6).
    // m = 0.1·g, v = 0.01·g²; bias correction divides by 0.1 and 0.01, so the step is
    // lr·g/(|g| + eps): ±0.1 up to eps. Decayed elements first shrink by 1 − 0.1·0.5 = 0.95.
    const first = adamwStep(params, Float64Array.from([0.3, -0.4, 0, 1.2]), state, decay, options);
    expect(first.gradNorm).toBeCloseTo(1.3, 12);
    expect(first.clipScale).toBeCloseTo(0.5, 12);
    expect(state.step).toBe(1);
    const p1 = [
      0.95 - (0.1 * 0.15) / (0.15 + 1e-8), // 0.8500000066666662
      -2 + (0.1 * 0.2) / (0.2 + 1e-8), // −1.9000000049999997
      0.5 * 0.95, // no gradient: decay only
      3 - (0.1 * 0.6) / (0.6 + 1e-8), // 2.9000000016666667
    ];
    p1.forEach((p, i) => expect(params[i]).toBeCloseTo(p, 9));
    expect(state.m[0]).toBeCloseTo(0.015, 9);
    expect(state.v[3]).toBeCloseTo(0.0036, 9);

    // Step 2: g = 0.1 everywhere (norm 0.2, not clipped).
    // m = 0.9·m1 + 0.01, v = 0.99·v1 + 0.0001; corrections 1 − 0.9² = 0.19, 1 − 0.99² = 0.0199.
    adamwStep(params, Float64Array.from([0.1, 0.1, 0.1, 0.1]), state, decay, options);
    expect(state.step).toBe(2);
    const m = [0.9 * 0.015 + 0.01, 0.9 * -0.02 + 0.01, 0.01, 0.9 * 0.06 + 0.01];
    const v = [0.99 * 0.000225 + 1e-4, 0.99 * 0.0004 + 1e-4, 1e-4, 0.99 * 0.0036 + 1e-4];
    const update = (i: number) => (0.1 * (m[i] / 0.19)) / (Math.sqrt(v[i] / 0.0199) + 1e-8);
    const p2 = [
      p1[0] * 0.95 - update(0), // 0.7103802375139048
      p1[1] - update(1), // −1.8733300637815153
      p1[2] * 0.95 - update(2), // 0.37700403163333596
      p1[3] - update(3), // 2.8214990053734175
    ];
    p2.forEach((p, i) => expect(params[i]).toBeCloseTo(p, 7));
    expect(params[0]).toBeCloseTo(0.7103802375139048, 7);
    expect(params[3]).toBeCloseTo(2.8214990053734175, 7);
  });

  it('leaves gradients within the norm unclipped and does not touch grads', () => {
    const params = new Float32Array(2);
    const grads = Float32Array.from([0.3, 0.4]);
    const result = adamwStep(params, grads, createAdamWState(2), new Uint8Array(2), options);
    expect(result.gradNorm).toBeCloseTo(0.5, 6);
    expect(result.clipScale).toBe(1);
    expect([...grads]).toEqual([Math.fround(0.3), Math.fround(0.4)]);
  });

  it('refuses mismatched lengths and non-finite gradients', () => {
    const state = createAdamWState(2);
    expect(() =>
      adamwStep(new Float32Array(2), new Float32Array(3), state, new Uint8Array(2), options),
    ).toThrow(/one length/);
    expect(() =>
      adamwStep(
        new Float32Array(2),
        Float32Array.from([NaN, 0]),
        state,
        new Uint8Array(2),
        options,
      ),
    ).toThrow(/not finite/);
  });
});

describe('weightDecayMask', () => {
  it('decays rank-2 tensors only: matrices and embeddings, not biases or LayerNorm', () => {
    const layout = buildParameterLayout(tinyConfig());
    const mask = weightDecayMask(layout);
    const decayed = layout.specs.filter((s) => mask[s.offset] === 1).map((s) => s.name);
    expect(decayed).toEqual([
      'tok_emb',
      'pos_emb',
      'time_w',
      'layers.0.attn.wq',
      'layers.0.attn.wk',
      'layers.0.attn.wv',
      'layers.0.attn.wo',
      'layers.0.mlp.w1',
      'layers.0.mlp.w2',
      'layers.1.attn.wq',
      'layers.1.attn.wk',
      'layers.1.attn.wv',
      'layers.1.attn.wo',
      'layers.1.mlp.w1',
      'layers.1.mlp.w2',
      'head.w',
    ]);
    for (const spec of layout.specs) {
      const values = mask.subarray(spec.offset, spec.offset + spec.size);
      expect(values.every((x) => x === values[0])).toBe(true);
    }
  });
});

describe('globalNorm', () => {
  it('is the L2 norm of all elements', () => {
    expect(globalNorm(Float32Array.from([3, 0, -4]))).toBe(5);
  });
});

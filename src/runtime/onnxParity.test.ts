import { beforeAll, describe, expect, it } from 'vitest';
import * as ort from 'onnxruntime-web';
import { Rng } from '../core/rng';
import { LAYER_NORM_EPS, type ModelConfig } from '../model/config';
import { forward } from '../model/forward';
import { initParameters } from '../model/init';
import { buildOnnxModel, TOPK_IDS, TOPK_PROBS } from '../model/onnx/buildOnnxModel';
import { buildParameterLayout } from '../model/parameterLayout';

/**
 * The exported graph, run by onnxruntime-web (its Node build, WASM backend), against the CPU
 * reference forward in float64. Weights are large enough (std 0.2, gains and biases perturbed
 * off 1 and 0) that a wrongly wired bias, scale or mask shows up well above float32 rounding.
 */

const TOLERANCE = 1e-4;
const BATCH = 3;

interface Case {
  label: string;
  config: ModelConfig;
}

const base = { vocabSize: 13, seqLen: 8, ffn: 24, layerNormEps: LAYER_NORM_EPS };
const cases: Case[] = [
  {
    label: 'bidirectional, time-conditioned, 2 layers',
    config: { ...base, dModel: 16, heads: 4, layers: 2, timeConditioning: true, causal: false },
  },
  {
    label: 'bidirectional, no time, 1 layer',
    config: { ...base, dModel: 12, heads: 3, layers: 1, timeConditioning: false, causal: false },
  },
  {
    label: 'causal, no time, 1 layer',
    config: { ...base, dModel: 16, heads: 2, layers: 1, timeConditioning: false, causal: true },
  },
  {
    label: 'causal, time-conditioned, 2 layers, one head',
    config: { ...base, dModel: 8, heads: 1, layers: 2, timeConditioning: true, causal: true },
  },
];

function randomParameters(config: ModelConfig, seed: number) {
  const layout = buildParameterLayout(config);
  const params = initParameters(layout, seed, (n) => new Float64Array(n), 0.2);
  const rng = new Rng(seed + 1000);
  for (const spec of layout.specs) {
    if (spec.init === 'normal') continue;
    for (let i = spec.offset; i < spec.offset + spec.size; i++) params[i] += 0.2 * rng.normal();
  }
  return { layout, params };
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

describe('ONNX export matches the CPU reference forward in onnxruntime-web', () => {
  cases.forEach(({ label, config }, index) => {
    it(label, async () => {
      const { layout, params } = randomParameters(config, 100 + index);
      const bytes = buildOnnxModel(layout, params);
      // Weights dominate the file: 4 bytes each, plus ~4 kB of graph per layer and the mask.
      const overhead = bytes.length - 4 * layout.total;
      expect(overhead).toBeGreaterThan(0);
      expect(overhead).toBeLessThan(2500 + 4500 * config.layers + 4 * config.seqLen ** 2);

      const session = await ort.InferenceSession.create(bytes);
      const rng = new Rng(200 + index);
      try {
        for (const length of [config.seqLen, 3, 1]) {
          const tokens = Int32Array.from({ length: BATCH * length }, () =>
            rng.int(config.vocabSize),
          );
          const t = Array.from({ length: BATCH }, () => rng.uniform());
          const feeds: Record<string, ort.Tensor> = {
            tokens: new ort.Tensor('int32', tokens, [BATCH, length]),
          };
          if (config.timeConditioning) {
            feeds.t = new ort.Tensor('float32', Float32Array.from(t), [BATCH, 1]);
          }
          const { logits } = await session.run(feeds);
          expect(logits.dims).toEqual([BATCH, length, config.vocabSize]);

          // The graph sees t rounded to float32; give the reference the same input.
          const reference = forward(layout, params, {
            tokens,
            batch: BATCH,
            length,
            t: config.timeConditioning ? t.map(Math.fround) : undefined,
          }).logits;
          const got = logits.data as Float32Array;
          expect(got.length).toBe(reference.length);
          // Logits of order 1 make the tolerance meaningful.
          expect(maxAbsDifference(reference, new Float64Array(reference.length))).toBeGreaterThan(
            0.5,
          );
          expect(maxAbsDifference(got, reference)).toBeLessThan(TOLERANCE);
        }
      } finally {
        await session.release();
      }
    });
  });
});

describe('the top-k head (topK): per-position ids and probabilities instead of logits', () => {
  it('returns the k most probable tokens of the reference softmax, best first', async () => {
    const { config } = cases[0];
    const { layout, params } = randomParameters(config, 300);
    const k = 4;
    const session = await ort.InferenceSession.create(buildOnnxModel(layout, params, { topK: k }));
    try {
      const rng = new Rng(301);
      const length = 5;
      const tokens = Int32Array.from({ length: BATCH * length }, () => rng.int(config.vocabSize));
      const t = Array.from({ length: BATCH }, () => rng.uniform());
      const out = await session.run({
        tokens: new ort.Tensor('int32', tokens, [BATCH, length]),
        t: new ort.Tensor('float32', Float32Array.from(t), [BATCH, 1]),
      });
      expect(Object.keys(out).sort()).toEqual([TOPK_IDS, TOPK_PROBS]);
      expect(out[TOPK_PROBS].dims).toEqual([BATCH, length, k]);
      expect(out[TOPK_IDS].dims).toEqual([BATCH, length, k]);
      const ids = out[TOPK_IDS].data as BigInt64Array;
      const probs = out[TOPK_PROBS].data as Float32Array;
      const logits = forward(layout, params, {
        tokens,
        batch: BATCH,
        length,
        t: t.map(Math.fround),
      }).logits;
      const V = config.vocabSize;
      for (let row = 0; row < BATCH * length; row++) {
        const l = logits.subarray(row * V, (row + 1) * V);
        const max = Math.max(...l);
        const z = l.reduce((a, x) => a + Math.exp(x - max), 0);
        const p = Array.from(l, (x) => Math.exp(x - max) / z);
        const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
        for (let j = 0; j < k; j++) {
          expect(Number(ids[row * k + j])).toBe(order[j]);
          expect(Math.abs(probs[row * k + j] - p[order[j]])).toBeLessThan(1e-5);
        }
      }
    } finally {
      await session.release();
    }
  });

  it('refuses a k the vocabulary cannot give', () => {
    const { layout, params } = randomParameters(cases[0].config, 302);
    expect(() => buildOnnxModel(layout, params, { topK: 14 })).toThrow(
      'topK must be a whole number from 1 to 13, got 14',
    );
  });
});

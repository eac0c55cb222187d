import { describe, expect, it } from 'vitest';
import { LAYER_NORM_EPS } from '../src/model/config';
import { configForPreset } from '../src/train/trainingProtocol';
import {
  forwardProducts,
  matmulFlops,
  stepsPerSecondAtCeiling,
  trainingStepFlops,
} from './trainFlops';

describe('matmulFlops', () => {
  it('counts a multiply and an add per term: 2·m·n·k per product', () => {
    expect(matmulFlops(2, 3, 4)).toBe(48);
    expect(matmulFlops(2, 3, 4, 5)).toBe(240);
  });

  it('refuses shapes that are not positive integers', () => {
    expect(() => matmulFlops(0, 3, 4)).toThrow(/m must be a positive integer/);
    expect(() => matmulFlops(2, 3, 4.5)).toThrow(/k must be/);
  });
});

describe('trainingStepFlops', () => {
  const small = {
    vocabSize: 10,
    seqLen: 3,
    dModel: 4,
    heads: 2,
    layers: 1,
    ffn: 8,
    timeConditioning: true,
    causal: false,
    layerNormEps: LAYER_NORM_EPS,
  };

  it('adds up every forward product of a small network by hand', () => {
    // batch 2 × length 3 = 6 rows, head size 2, 2 windows × 2 heads = 4 attention products.
    const products = forwardProducts(small, 2, 3);
    const flops = products.map((p) => [p.label, matmulFlops(p.m, p.n, p.k, p.batch)]);
    expect(flops).toEqual([
      ['layer 0 q|k|v', 3 * 2 * 6 * 4 * 4], //       576
      ['layer 0 attention scores', 4 * 2 * 3 * 3 * 2], // 144
      ['layer 0 attention values', 4 * 2 * 3 * 2 * 3], // 144
      ['layer 0 wo', 2 * 6 * 4 * 4], //              192
      ['layer 0 mlp w1', 2 * 6 * 8 * 4], //          384
      ['layer 0 mlp w2', 2 * 6 * 4 * 8], //          384
      ['head', 2 * 6 * 10 * 4], //                   480
    ]);
    // Backward is two products of each forward size (dense: dX and dW; attention: 4 of half).
    expect(trainingStepFlops(small, 2, 3)).toEqual({ forward: 2304, backward: 4608, total: 6912 });
  });

  it('gives 0.658 GFLOP per step for the toy preset at batch 32', () => {
    // Per layer: 3·2·512·64·64 + 2·512·64·64 + 2·(2·512·64·256) = 50 331 648 dense, and
    // 2·(128·2·16·16·16) = 2 097 152 attention; the head 2·512·64·147 = 9 633 792.
    const toy = configForPreset('toy', 147, 16);
    const forward = 4 * (50_331_648 + 2_097_152) + 9_633_792;
    expect(forward).toBe(219_348_992);
    expect(trainingStepFlops(toy, 32, 16)).toEqual({
      forward,
      backward: 2 * forward,
      total: 3 * forward,
    });
  });
});

describe('stepsPerSecondAtCeiling', () => {
  it('divides the ceiling by the FLOPs of a step', () => {
    // 8 GFLOP/s over 0.5 GFLOP per step: 16 steps/s at best.
    expect(stepsPerSecondAtCeiling(8, 5e8)).toBeCloseTo(16, 12);
  });

  it('refuses a ceiling or a step that is not positive', () => {
    expect(() => stepsPerSecondAtCeiling(0, 1e9)).toThrow(/positive/);
    expect(() => stepsPerSecondAtCeiling(1, -1)).toThrow(/positive/);
  });
});

import { describe, expect, it } from 'vitest';
import { type MatmulArgs, rowMajor, transposed } from './matmulKernel';
import { SPLIT_K, splitKPlan, splitKScratchFloats } from './splitKMatmul';

const buffer = {} as GPUBuffer;

/** dW = Xᵀ·dY with its bias row, as trainingProgram.ts asks for it: X [k, m], dY [k, n]. */
function weightGrad(m: number, n: number, k: number, inner = 1, ones = true): MatmulArgs {
  return {
    label: 'dW',
    m,
    n,
    k,
    batchInner: inner,
    a: transposed(buffer, 0, m),
    b: rowMajor(buffer, 0, n),
    c: rowMajor(buffer, 0, n),
    onesRow: ones ? { offset: m * n } : undefined,
  };
}

describe('splitKPlan', () => {
  // [m, n, k, inner] → [splits, chunk]
  it.each([
    // d = 64, ffn 256, L = 16: batch 256 gives k = 4096, batch 32 gives 512.
    [
      [64, 256, 4096, 1],
      [16, 256],
    ],
    [
      [64, 64, 4096, 3],
      [16, 256],
    ],
    [
      [64, 256, 512, 1],
      [2, 256],
    ],
    [
      [64, 256, 768, 1],
      [3, 256],
    ],
    // Capped at maxSplits.
    [
      [64, 64, 65536, 1],
      [32, 2048],
    ],
    // 5 · 331: no divisor between 2 and ⌊1655 / 256⌋ = 6 but 5.
    [
      [64, 64, 1655, 1],
      [5, 331],
    ],
  ])(
    'splits %j into the most chunks of at least minChunk that divide k: %j',
    ([m, n, k, inner], [splits, chunk]) => {
      expect(splitKPlan('tiled', weightGrad(m, n, k, inner), SPLIT_K)).toEqual({ splits, chunk });
    },
  );

  it('leaves a product whole when splitting cannot help or does not apply', () => {
    // k too short for two chunks, or prime.
    expect(splitKPlan('tiled', weightGrad(64, 256, 300), SPLIT_K)).toBeNull();
    expect(splitKPlan('tiled', weightGrad(64, 256, 1031), SPLIT_K)).toBeNull();
    // Only the tiled (GPU) variant, and only when asked.
    expect(splitKPlan('registers', weightGrad(64, 256, 4096), SPLIT_K)).toBeNull();
    expect(splitKPlan('shared', weightGrad(64, 256, 4096), SPLIT_K)).toBeNull();
    expect(splitKPlan('tiled', weightGrad(64, 256, 4096), null)).toBeNull();
    // An output that already fills the GPU (the forward X·W: rows · n tiles).
    expect(splitKPlan('tiled', weightGrad(4096, 256, 4096), SPLIT_K)).toBeNull();
    // The split uses the outer batch axis and does not add a bias.
    expect(splitKPlan('tiled', { ...weightGrad(64, 64, 4096), batchOuter: 2 }, SPLIT_K)).toBeNull();
    const bias = { buffer, offset: 0 };
    const plain = weightGrad(64, 64, 4096, 1, false);
    expect(splitKPlan('tiled', { ...plain, bias }, SPLIT_K)).toBeNull();
  });
});

describe('splitKScratchFloats', () => {
  it('holds every chunk of every inner batch entry, the ones row included', () => {
    const args = weightGrad(64, 64, 4096, 3);
    expect(splitKScratchFloats(args, { splits: 16, chunk: 256 })).toBe(16 * 3 * 65 * 64);
    const noOnes = weightGrad(64, 64, 4096, 3, false);
    expect(splitKScratchFloats(noOnes, { splits: 2, chunk: 2048 })).toBe(2 * 3 * 64 * 64);
  });
});

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
  it('splits a weight gradient of the default model into chunks of 256 rows', () => {
    // d = 64, ffn 256, L = 16: batch 256 gives k = 4096, batch 32 gives 512.
    expect(splitKPlan('tiled', weightGrad(64, 256, 4096), SPLIT_K)).toEqual({
      splits: 16,
      chunk: 256,
    });
    expect(splitKPlan('tiled', weightGrad(64, 64, 4096, 3), SPLIT_K)).toEqual({
      splits: 16,
      chunk: 256,
    });
    expect(splitKPlan('tiled', weightGrad(64, 256, 512), SPLIT_K)).toEqual({
      splits: 2,
      chunk: 256,
    });
    expect(splitKPlan('tiled', weightGrad(64, 256, 768), SPLIT_K)).toEqual({
      splits: 3,
      chunk: 256,
    });
  });

  it('caps the splits, and takes the most that divide k into chunks of at least minChunk', () => {
    expect(splitKPlan('tiled', weightGrad(64, 64, 65536), SPLIT_K)).toEqual({
      splits: 32,
      chunk: 2048,
    });
    // 5 · 331: no divisor between 2 and ⌊1655 / 256⌋ = 6 but 5.
    expect(splitKPlan('tiled', weightGrad(64, 64, 1655), SPLIT_K)).toEqual({
      splits: 5,
      chunk: 331,
    });
  });

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

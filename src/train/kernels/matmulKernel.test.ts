import { describe, expect, it } from 'vitest';
import {
  matmulDispatch,
  type MatmulPipelines,
  rowMajor,
  transposed,
  vec4Layout,
} from './matmulKernel';

// Stand-ins: matmulDispatch only passes pipelines and buffers through (and reads their size).
const buffer = (label: string, size = 1 << 20) => ({ label, size }) as unknown as GPUBuffer;
const pipeline = (label: string) => ({ label }) as unknown as GPUComputePipeline;
const registers: MatmulPipelines = {
  variant: 'registers',
  registers: pipeline('registers'),
  vec4: { kn: pipeline('kn'), kk: pipeline('kk'), mn: pipeline('mn'), mk: pipeline('mk') },
  placeholder: buffer('placeholder'),
};
const tiled: MatmulPipelines = {
  variant: 'tiled',
  large: pipeline('large'),
  small: pipeline('small'),
  placeholder: buffer('placeholder'),
};
const shared: MatmulPipelines = {
  ...registers,
  variant: 'shared',
  shared: pipeline('shared'),
};
const [x, w, y] = [buffer('x'), buffer('w'), buffer('y')];
/** The MLP's first product at batch 64: [1024 × 64] · [64 × 256]. */
const dense = {
  label: 'mm',
  m: 1024,
  n: 256,
  k: 64,
  a: rowMajor(x, 0, 64),
  b: rowMajor(w, 0, 256),
  c: rowMajor(y, 0, 256),
};

describe('matmulDispatch', () => {
  it('covers the output with 4×4 blocks (registers) or 32×32 / 16×16 tiles (tiled)', () => {
    // 256 × 64 blocks of 4×4 = 16384 invocations = 256 workgroups of 64
    expect(matmulDispatch(registers, dense).workgroups).toEqual([256, 1, 1]);
    expect(matmulDispatch(tiled, dense).workgroups).toEqual([8, 32, 1]);
    expect(matmulDispatch(tiled, dense).pipeline).toBe(tiled.large);
    const small = { ...dense, m: 6, n: 6, k: 4, batchOuter: 3, batchInner: 2 };
    expect(matmulDispatch(tiled, small).workgroups).toEqual([1, 1, 6]);
    expect(matmulDispatch(tiled, small).pipeline).toBe(tiled.small);
    // 2 × 2 blocks per product, 6 products: 24 invocations in one workgroup
    expect(matmulDispatch(registers, small).workgroups).toEqual([1, 1, 1]);
  });

  it('counts the ones row as an extra output row', () => {
    const d = matmulDispatch(registers, {
      label: 'grad',
      m: 64,
      n: 64,
      k: 1024,
      a: transposed(x, 0, 64),
      b: rowMajor(w, 0, 64),
      c: rowMajor(y, 0, 64),
      onesRow: { offset: 4096 },
    });
    // ceil(65 / 4) × 16 = 272 blocks → 5 workgroups; flags = ones row (4)
    expect(d.workgroups).toEqual([5, 1, 1]);
    expect((d.uniform as Uint32Array)[24]).toBe(4);
  });

  it('gives each subgroup of the shared variant 8 rows × 4·8 columns, 4 invocations', () => {
    // 128 row tiles × 8 column tiles = 1024 tiles × 4 lanes = 4096 invocations = 64 workgroups
    const d = matmulDispatch(shared, dense);
    expect(d.workgroups).toEqual([64, 1, 1]);
    expect(d.pipeline).toBe(shared.shared);
    // The ones row adds a row tile: ceil(65 / 8) × ceil(147 / 32) = 9 × 5 = 45 tiles, 180
    // invocations → 3 workgroups.
    const grad = { ...dense, m: 64, n: 147, k: 1024, onesRow: { offset: 0 } };
    expect(matmulDispatch(shared, grad).workgroups).toEqual([3, 1, 1]);
    // Products narrower than a tile (16 columns: attention per head) take the register kernel.
    const heads = { ...dense, m: 16, n: 16, k: 16, batchOuter: 3, batchInner: 2 };
    expect(matmulDispatch(shared, heads).pipeline).toBe(registers.vec4.kn);
  });

  it('reads aligned operands as vec4s, along whichever side has stride 1', () => {
    const mm = { label: 'mm', m: 64, n: 32, k: 16, c: rowMajor(y, 0, 32) };
    // forward x·W, input grad dY·Wᵀ, weight grad Xᵀ·dY, and Xᵀ·Wᵀ
    expect(vec4Layout({ ...mm, a: rowMajor(x, 0, 16), b: rowMajor(w, 0, 32) })).toEqual({
      a: 'k',
      b: 'n',
    });
    expect(vec4Layout({ ...mm, a: rowMajor(x, 0, 16), b: transposed(w, 8, 16) })).toEqual({
      a: 'k',
      b: 'k',
    });
    expect(vec4Layout({ ...mm, a: transposed(x, 0, 64), b: rowMajor(w, 4, 32) })).toEqual({
      a: 'm',
      b: 'n',
    });
    expect(vec4Layout({ ...mm, a: transposed(x, 0, 64), b: transposed(w, 0, 16) })).toEqual({
      a: 'm',
      b: 'k',
    });
    const forward = { ...mm, a: rowMajor(x, 0, 16), b: rowMajor(w, 0, 32) };
    expect(matmulDispatch(registers, forward).pipeline).toBe(registers.vec4.kn);
  });

  it('falls back to scalar loads when a vec4 would be misaligned or ragged', () => {
    const mm = { label: 'mm', m: 64, n: 32, k: 16, c: rowMajor(y, 0, 32) };
    const b = rowMajor(w, 0, 32);
    expect(vec4Layout({ ...mm, a: rowMajor(x, 2, 16), b })).toBeNull(); // offset
    expect(vec4Layout({ ...mm, k: 15, a: rowMajor(x, 0, 15), b })).toBeNull(); // K
    expect(vec4Layout({ ...mm, n: 30, a: rowMajor(x, 0, 16), b: rowMajor(w, 0, 30) })).toBeNull();
    expect(vec4Layout({ ...mm, m: 63, a: transposed(x, 0, 63), b })).toBeNull(); // M along m
    expect(vec4Layout({ ...mm, a: rowMajor(buffer('odd', 40), 0, 16), b })).toBeNull(); // size
    const scalar = { ...mm, a: rowMajor(x, 2, 16), b };
    expect(matmulDispatch(registers, scalar).pipeline).toBe(registers.registers);
  });

  it('refuses an output that is also an input, a strided output, and bias with ones row', () => {
    const base = { label: 'bad', m: 2, n: 2, k: 2, a: rowMajor(x, 0, 2), b: rowMajor(w, 0, 2) };
    expect(() => matmulDispatch(registers, { ...base, c: rowMajor(x, 0, 2) })).toThrow(
      /cannot also be an input/,
    );
    expect(() => matmulDispatch(registers, { ...base, c: transposed(y, 0, 2) })).toThrow(
      /column stride 1/,
    );
    expect(() =>
      matmulDispatch(registers, {
        ...base,
        c: rowMajor(y, 0, 2),
        bias: { buffer: w, offset: 0 },
        onesRow: { offset: 0 },
      }),
    ).toThrow(/exclude each other/);
  });
});

import { describe, expect, it } from 'vitest';
import { grid1d, UniformWriter } from './gpuDispatch';

describe('UniformWriter', () => {
  it('packs u32 fields as they are and f32 fields by their IEEE bits', () => {
    const words = new UniformWriter().u32(7).f32(1).f32(-2.5).u32(0xffffffff).finish();
    // 1.0f = 0x3f800000, −2.5f = 0xc0200000
    expect(Array.from(words)).toEqual([7, 0x3f800000, 0xc0200000, 0xffffffff]);
  });

  it('rejects values a u32 cannot hold and blocks larger than one 256-byte slot', () => {
    expect(() => new UniformWriter().u32(-1)).toThrow(/out of range/);
    expect(() => new UniformWriter().u32(1.5)).toThrow(/out of range/);
    const w = new UniformWriter();
    for (let i = 0; i < 65; i++) w.u32(i);
    expect(() => w.finish()).toThrow(/65 words exceeds/);
  });
});

describe('grid1d', () => {
  it('uses one row of workgroups while it fits', () => {
    expect(grid1d(1, 64)).toEqual([1, 1, 1]);
    expect(grid1d(64, 64)).toEqual([1, 1, 1]);
    expect(grid1d(65, 64)).toEqual([2, 1, 1]);
    expect(grid1d(65535 * 64, 64)).toEqual([65535, 1, 1]);
  });

  it('spreads over y beyond 65535 workgroups, covering every item', () => {
    const [x, y] = grid1d(65536 * 64, 64);
    expect(y).toBe(2);
    expect(x).toBe(32768);
    expect(x * y * 64).toBeGreaterThanOrEqual(65536 * 64);
  });
});

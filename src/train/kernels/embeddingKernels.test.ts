import { describe, expect, it } from 'vitest';
import { tokenPositionIndex } from './embeddingKernels';

describe('tokenPositionIndex', () => {
  it('groups positions by token id, ascending within each token', () => {
    const tokens = Int32Array.from([2, 0, 2, 3, 0, 2]);
    const start = new Uint32Array(5);
    const positions = new Uint32Array(6);
    tokenPositionIndex(tokens, 4, start, positions);
    // token 0 at 1, 4; token 1 nowhere; token 2 at 0, 2, 5; token 3 at 3
    expect(Array.from(start)).toEqual([0, 2, 2, 5, 6]);
    expect(Array.from(positions)).toEqual([1, 4, 0, 2, 5, 3]);
  });

  it('overwrites an index left from an earlier batch', () => {
    const start = new Uint32Array(3).fill(9);
    const positions = new Uint32Array(2).fill(9);
    tokenPositionIndex(Int32Array.from([1, 1]), 2, start, positions);
    expect(Array.from(start)).toEqual([0, 0, 2]);
    expect(Array.from(positions)).toEqual([0, 1]);
  });
});

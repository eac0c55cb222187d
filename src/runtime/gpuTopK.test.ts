import { describe, expect, it } from 'vitest';
import { runGpuScript } from '../train/node/runGpuScript';
import { createGpuTopK } from './gpuTopK';

/**
 * The GPU top-k against the CPU's, on Dawn + SwiftShader in a child process (node/topKCheck.ts):
 * the same ids in the same order (ties to the lower id) and probabilities within float32
 * rounding.
 */
interface Result {
  label: string;
  maxDiff: number;
  ids: number[];
  expectedIds: number[];
}

describe('the GPU top-k of a call’s logits', () => {
  it('returns the CPU’s ids and probabilities, best first', async () => {
    const results = await runGpuScript<Result[]>(
      new URL('./node/topKCheck.ts', import.meta.url),
      [],
      180_000,
    );
    expect(results.map((r) => r.label)).toEqual([
      'toy vocabulary, k = 5',
      'k = 1',
      'k = 8, vocabulary 1000',
      'ties',
      'large and negative logits',
    ]);
    for (const r of results) {
      expect(r.ids, r.label).toEqual(r.expectedIds);
      expect(r.maxDiff, r.label).toBeLessThan(1e-6);
    }
    // The ties: a row of equal logits gives ids 0, 1, 2, 3; three tied leaders in id order.
    const ties = results.find((r) => r.label === 'ties')!;
    expect(ties.ids.slice(0, 4)).toEqual([0, 1, 2, 3]);
    expect(ties.ids.slice(4, 7)).toEqual([3, 9, 40]);
  }, 200_000);

  it('refuses a k it cannot keep', () => {
    const device = {} as GPUDevice;
    const logits = {} as GPUBuffer;
    expect(() => createGpuTopK(device, logits, 1, 147, 9)).toThrow(
      'k must be a whole number from 1 to 8',
    );
    expect(() => createGpuTopK(device, logits, 1, 3, 4)).toThrow(
      'k must be a whole number from 1 to 3',
    );
  });
});

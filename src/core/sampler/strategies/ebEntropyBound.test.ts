import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from '../driver';
import { scriptedModel, uniformLogits } from '../fakeModels.testutil';

const V = 6;
const MASK = 0;
// Prompt [5]; entropies in bits at positions 1..4: 1, 0, 2, 1 (uniform over 2, 1, 4, 2 tokens).
const first = uniformLogits(V, [[5], [1, 2], [3], [1, 2, 3, 4], [2, 3]]);
const certain = uniformLogits(V, [[5], [1], [1], [1], [1]]);

async function committedFirst(gamma: number): Promise<number[]> {
  const trace = await runSamplerToEnd(
    scriptedModel(V, MASK, 5, [first, certain, certain, certain]),
    { prompt: [5], genLength: 4 },
    { strategy: 'eb.entropy_bound', steps: 4, entropyBound: gamma },
  );
  return trace.records[0].status.flatMap((s, i) => (s === 'committed' ? [i] : []));
}

describe('eb.entropy_bound', () => {
  it('commits the most certain candidates while the entropies before each sum to ≤ γ bits', async () => {
    // Sorted: position 2 (0 bits), 1 (1), 4 (1; the tie goes to the lower position), 3 (2).
    // d = 0, 0, 1, 2.
    // (Positions listed in window order.)
    expect(await committedFirst(0)).toEqual([1, 2]); // d_1 = h_0 ≈ −1.4e−10 ≤ 0
    expect(await committedFirst(0.5)).toEqual([1, 2]);
    expect(await committedFirst(1.5)).toEqual([1, 2, 4]);
    expect(await committedFirst(2.5)).toEqual([1, 2, 3, 4]);
  });

  it('measures γ in bits: in nats 1.5 would take all four (d = 0, 0, 0.69, 1.39)', async () => {
    expect(await committedFirst(1.5)).toHaveLength(3);
    expect(await committedFirst(Math.LN2 * 2.5)).toHaveLength(3);
  });

  it('moves on when a block runs out of calls and never fills its masks later', async () => {
    // Two blocks of 2 ([1, 3), [3, 5)), one call each, γ = 0. Block 0: 1 bit and 1 bit, so
    // d_1 ≈ 1 > 0 and one is taken; block 1: both certain, both taken.
    const calls = [
      uniformLogits(V, [[5], [1, 2], [3, 4], [1], [1]]),
      uniformLogits(V, [[5], [1], [1], [2], [3]]),
    ];
    const trace = await runSamplerToEnd(
      scriptedModel(V, MASK, 5, calls),
      { prompt: [5], genLength: 4 },
      { strategy: 'eb.entropy_bound', steps: 2, blockLength: 2, entropyBound: 0 },
    );
    expect(trace.records.map((r) => [r.block, r.committed])).toEqual([
      [0, 1],
      [1, 2],
    ]);
    expect(trace.final).toEqual([5, 1, MASK, 2, 3]);
    expect(trace.records[1].candidate).toEqual([false, false, false, true, true]);
  });
});

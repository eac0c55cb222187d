import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from '../driver';
import { scriptedModel, tableLogits, tableModel, uniformLogits } from '../fakeModels.testutil';
import type { SamplerOptions } from '../options';

const V = 6;
const MASK = 0;
const options: SamplerOptions = {
  strategy: 'llada2.threshold',
  steps: 2, // steps per block: the floor schedule of B = 4 over 2 steps is 2, 2
  blockLength: 4,
  threshold: 0.85,
};
// Prompt [5] at position 0; window of 8 = blocks [0, 4) (the prompt inside) and [4, 8).
const init = { prompt: [5], genLength: 7 };
const p = (token: number, prob: number) => ({ token, prob });
const rows = [
  // Call 0, block 0: 0.95 and 0.9 are above 0.85, two ≥ the floor 2: the threshold path.
  [p(1, 0.9), p(2, 0.95), p(3, 0.9), p(4, 0.5), p(1, 0.99), p(1, 0.99), p(1, 0.99), p(1, 0.99)],
  // Call 1: nothing above 0.85, floor path: min(2, 1 candidate) = 1.
  [p(1, 0.9), p(2, 0.1), p(3, 0.1), p(4, 0.3), p(1, 0.99), p(1, 0.99), p(1, 0.99), p(1, 0.99)],
  // Call 2, block 1: three above the threshold, more than the floor of 2.
  [p(1, 0.9), p(2, 0.1), p(3, 0.1), p(4, 0.1), p(2, 0.99), p(3, 0.97), p(4, 0.96), p(5, 0.2)],
  // Call 3: the last mask by the floor.
  [p(1, 0.9), p(2, 0.1), p(3, 0.1), p(4, 0.1), p(2, 0.1), p(3, 0.1), p(4, 0.1), p(5, 0.3)],
];

describe('llada2.threshold', () => {
  it('commits above the threshold or the floor, block by block, over a prefix', async () => {
    const model = tableModel(V, MASK, rows, true);
    const trace = await runSamplerToEnd(model, init, options);
    expect(trace.records.map((r) => r.committed)).toEqual([2, 1, 3, 1]);
    expect(trace.records.map((r) => r.block)).toEqual([0, 0, 1, 1]);
    // The model sees x[0 : end of the block]: 4, then the whole window.
    expect(model.inputs.map((x) => x.length)).toEqual([4, 4, 8, 8]);
    expect(trace.records.map((r) => r.inputLength)).toEqual([4, 4, 8, 8]);
    expect(trace.final).toEqual([5, 2, 3, 4, 2, 3, 4, 5]);
    // Candidates are the block's masks only, never the next block's.
    expect(trace.records[0].candidate).toEqual([
      false,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    // A position the model did not see has no prediction of its own.
    const first = trace.records[0];
    expect(first.prediction.slice(4)).toEqual([MASK, MASK, MASK, MASK]);
    expect(first.confidence.slice(4)).toEqual([0, 0, 0, 0]);
    expect(first.topK.slice(4)).toEqual([[], [], [], []]);
    expect(first.topK[1]).not.toEqual([]);
  });

  it('gives a fixed-window model the prefix with [MASK] after it, pinned words included', async () => {
    const pinned = { ...init, infill: [{ position: 6, token: 3 }] };
    const prefix = tableModel(V, MASK, rows, true);
    const padded = tableModel(V, MASK, rows, false);
    const a = await runSamplerToEnd(prefix, pinned, options);
    const b = await runSamplerToEnd(padded, pinned, options);
    expect(padded.inputs.map((x) => x.length)).toEqual([8, 8, 8, 8]);
    expect(padded.inputs[0]).toEqual([5, MASK, MASK, MASK, MASK, MASK, MASK, MASK]);
    expect(padded.inputs[2][6]).toBe(3); // block 1's own pinned word is seen there
    expect(prefix.inputs[0]).toEqual([5, MASK, MASK, MASK]);
    // Same rows read, same decisions.
    expect(b.records).toEqual(a.records);
  });

  it('uses the strict comparison at the threshold', async () => {
    // Blocks [0, 2) (the prompt) and [2, 4); floor 1, 1. Position 2: exactly 0.5 (tokens 2 and 3
    // tie, the first wins); position 3: certain.
    const calls = [
      uniformLogits(V, [[1], [1], [2, 3], [4]]),
      uniformLogits(V, [[1], [1], [2, 3], [4]]),
    ];
    const run = async (threshold: number) => {
      const trace = await runSamplerToEnd(
        scriptedModel(V, MASK, 4, calls, true),
        { prompt: [5, 5], genLength: 2 },
        { strategy: 'llada2.threshold', steps: 2, blockLength: 2, threshold },
      );
      return trace.records.map((r) => r.committed);
    };
    // At 0.5, 0.5 is not above: only position 3 by the threshold path, then 2 by the floor.
    expect(await run(0.5)).toEqual([1, 1]);
    expect(await run(0.4999)).toEqual([2]);
  });

  it('skips blocks without masks and starts at the block holding the prompt end', async () => {
    // Prompt of 4 fills block 0; block 1 fully pinned; only block 2 [8, 12) needs calls.
    const init3 = {
      prompt: [5, 5, 5, 5],
      genLength: 8,
      infill: [4, 5, 6, 7].map((position) => ({ position, token: 2 })),
    };
    const row = Array.from({ length: 12 }, () => p(3, 0.99));
    const model = tableModel(V, MASK, [row], true);
    const trace = await runSamplerToEnd(model, init3, { ...options, threshold: 0.9 });
    expect(trace.records.map((r) => [r.block, r.inputLength, r.committed])).toEqual([[2, 12, 4]]);
  });

  it('keeps the schedule from B, not from the masks of a block that holds prompt tokens', async () => {
    // B = 4, 4 steps: floor 1, 1, 1, 1. Block 0 holds the prompt (3) and one mask.
    const row = [
      p(1, 0.9),
      p(1, 0.9),
      p(1, 0.9),
      p(2, 0.2),
      p(3, 0.2),
      p(3, 0.2),
      p(3, 0.2),
      p(3, 0.2),
    ];
    const trace = await runSamplerToEnd(
      tableModel(V, MASK, [row], true),
      { prompt: [5, 5, 5], genLength: 5 },
      { ...options, steps: 4 },
    );
    expect(trace.records.map((r) => r.committed)).toEqual([1, 1, 1, 1, 1]);
    expect(trace.records.map((r) => r.block)).toEqual([0, 1, 1, 1, 1]);
  });

  it('cuts the last block at the window end when B does not divide the window', async () => {
    const row = Array.from({ length: 6 }, () => p(2, 0.99));
    const model = tableModel(V, MASK, [row], true);
    const trace = await runSamplerToEnd(model, { prompt: [5], genLength: 5 }, options);
    expect(model.inputs.map((x) => x.length)).toEqual([4, 6]);
    expect(trace.final).toEqual([5, 2, 2, 2, 2, 2]);
  });

  it('reads tableLogits rows as the probabilities they were made with', () => {
    // Guard for the tests above: the fake's probabilities are what the rows say.
    const l = tableLogits(V, MASK, [p(2, 0.95)]);
    const e = Array.from(l, Math.exp);
    const sum = e.reduce((a, b) => a + b, 0);
    expect(e[2] / sum).toBeCloseTo(0.95, 12);
  });
});

import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from '../driver';
import { scriptedModel, tableModel, uniformLogits } from '../fakeModels.testutil';
import type { SamplerOptions } from '../options';

const V = 6;
const MASK = 0;
const p = (token: number, prob: number) => ({ token, prob });
// Prompt [5]; one block of 4 (the prompt inside). Position 0's row always proposes another token
// with 0.99: the prompt is never edited.
const rows = [
  // 0: only 0.95 above 0.8: position 1 unmasked (threshold path, ≥ the floor of 1).
  [p(1, 0.99), p(2, 0.95), p(3, 0.5), p(4, 0.4)],
  // 1: nothing above 0.8: floor, position 3 (0.7). Edit while masks remain: 1 is 2 → 3 at 0.95.
  [p(1, 0.99), p(3, 0.95), p(3, 0.6), p(4, 0.7)],
  // 2: position 2 above the threshold; the block is full. Position 1 keeps its 3 (same argmax).
  [p(1, 0.99), p(3, 0.99), p(1, 0.85), p(4, 0.5)],
  // 3 (post 1): edits position 2, 1 → 2.
  [p(1, 0.99), p(3, 0.5), p(2, 0.95), p(4, 0.5)],
  // 4 (post 2): edits position 3, 4 → 5.
  [p(1, 0.99), p(3, 0.5), p(2, 0.5), p(5, 0.97)],
  // 5 (post 3): would edit position 1 again, 3 → 4.
  [p(1, 0.99), p(4, 0.99), p(2, 0.5), p(5, 0.5)],
  // 6 (post 4): no edit: the block ends.
  [p(1, 0.5), p(4, 0.5), p(2, 0.5), p(5, 0.5)],
];
const init = { prompt: [5], genLength: 3 };
const options = (maxPostSteps: number): SamplerOptions => ({
  strategy: 'llada21.edit',
  steps: 1,
  blockLength: 4,
  threshold: 0.8,
  editThreshold: 0.9,
  numToTransfer: 1,
  maxPostSteps,
});

describe('llada21.edit', () => {
  it('unmasks, edits placed tokens, and goes on after the last mask while calls edit', async () => {
    const trace = await runSamplerToEnd(tableModel(V, MASK, rows, true), init, options(16));
    expect(trace.records.map((r) => [r.committed, r.edited])).toEqual([
      [1, 0],
      [1, 1],
      [1, 0],
      [0, 1],
      [0, 1],
      [0, 1],
      [0, 0],
    ]);
    const edit = trace.records[1];
    expect(edit.status).toEqual(['pinned', 'edited', 'masked', 'committed']);
    expect([edit.before[1], edit.after[1]]).toEqual([2, 3]); // what it was, what it became
    expect(trace.final).toEqual([5, 4, 2, 5]);
    for (const r of trace.records) expect(r.after[0]).toBe(5);
  });

  it('makes at most max_post_steps calls after the last mask; calls with masks do not count', async () => {
    const calls = async (max: number) =>
      (await runSamplerToEnd(tableModel(V, MASK, rows, true), init, options(max))).records.length;
    // 3 calls fill the block (one of them edits); then post calls 1, 2, 3, … while they edit.
    expect(await calls(0)).toBe(3);
    expect(await calls(1)).toBe(4);
    expect(await calls(2)).toBe(5);
    expect(await calls(3)).toBe(6);
    expect(await calls(4)).toBe(7); // the 4th post call edits nothing and ends the block
  });

  it('a token unmasked in a call is not edited in the same call', async () => {
    // One block of 2 after the prompt: call 0 unmasks position 1 (certain) and 2 (floor).
    const calls = [uniformLogits(V, [[1], [2], [3, 4]]), uniformLogits(V, [[1], [2], [3]])];
    const trace = await runSamplerToEnd(
      scriptedModel(V, MASK, 3, calls, true),
      { prompt: [5], genLength: 2 },
      { ...options(16), blockLength: 3, numToTransfer: 2, editThreshold: 0.5 },
    );
    // Call 1 sees position 2 at 3 with probability 1 (placed as 3 already): nothing to edit,
    // and no mask: the block ends.
    expect(trace.records.map((r) => r.status)).toEqual([
      ['pinned', 'committed', 'committed'],
      ['pinned', 'kept', 'kept'],
    ]);
  });

  it('uses the strict comparison at the editing threshold', async () => {
    // Position 1 placed as 2 in call 0; in call 1 tokens 3 and 4 tie at exactly 0.5.
    const calls = [uniformLogits(V, [[1], [2]]), uniformLogits(V, [[1], [3, 4]])];
    const run = async (editThreshold: number) =>
      (
        await runSamplerToEnd(
          scriptedModel(V, MASK, 2, [...calls, uniformLogits(V, [[1], [3]])], true),
          { prompt: [5], genLength: 1 },
          { ...options(16), blockLength: 2, editThreshold },
        )
      ).records.map((r) => r.edited);
    expect(await run(0.5)).toEqual([0, 0]);
    expect(await run(0.4999)).toEqual([0, 1, 0]);
  });
});

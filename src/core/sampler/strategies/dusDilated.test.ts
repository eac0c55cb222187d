import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from '../driver';
import { scriptedModel, tableLogits, uniformLogits } from '../fakeModels.testutil';
import type { SamplerOptions } from '../options';

const V = 6;
const MASK = 0;
const p = (token: number, prob: number) => ({ token, prob });
// Prompt [5]; one block of 8 at positions 1..8: levels {1, 5}, {3, 7}, {2, 4, 6, 8}.
const row = (probs: Record<number, number>) =>
  Array.from({ length: 9 }, (_, i) => p(1 + (i % 4), probs[i] ?? 0.9));
const calls = [
  tableLogits(V, MASK, row({ 5: 0.3 })), // level 0: 5 below 0.5
  tableLogits(V, MASK, row({ 3: 0.6, 7: 0.2 })), // level 1: 7 below 0.5
  tableLogits(V, MASK, row({ 2: 0.1, 4: 0.1 })), // last level: never remasked
];
const init = { prompt: [5], genLength: 8 };
const options: SamplerOptions = {
  strategy: 'dus.dilated',
  steps: 1,
  dusRemasking: 'low_confidence',
  dusThreshold: 0.5,
};

describe('dus.dilated', () => {
  it('writes one dilated level per call and takes back low-confidence tokens, for good', async () => {
    const model = scriptedModel(V, MASK, 9, calls);
    const trace = await runSamplerToEnd(model, init, options);
    const shown = trace.records.map((r) =>
      r.status.flatMap((s, i) => (s === 'committed' || s === 'remasked' ? [`${i}${s[0]}`] : [])),
    );
    expect(shown).toEqual([
      ['1c', '5r'],
      ['3c', '7r'],
      ['2c', '4c', '6c', '8c'],
    ]);
    // Thrown away: masked before and after, the guess kept in the record.
    expect([trace.records[0].before[5], trace.records[0].after[5]]).toEqual([MASK, MASK]);
    expect(trace.records[0].prediction[5]).toBe(2);
    // Never scheduled again: 5 and 7 stay masked.
    expect(trace.final.map((t) => t === MASK)).toEqual([
      false,
      false,
      false,
      false,
      false,
      true,
      false,
      true,
      false,
    ]);
    expect(trace.records[1].candidate.flatMap((c, i) => (c ? [i] : []))).toEqual([3, 7]);
  });

  it("with remasking 'none' places every position exactly once", async () => {
    const trace = await runSamplerToEnd(scriptedModel(V, MASK, 9, calls), init, {
      ...options,
      dusRemasking: 'none',
    });
    expect(trace.records.map((r) => r.committed)).toEqual([2, 2, 4]);
    expect(trace.final.includes(MASK)).toBe(false);
  });

  it('uses the strict comparison at the confidence threshold', async () => {
    // Block of 4 after the prompt: levels {1, 3}, {2, 4}; position 1 at exactly 0.5.
    const half = [
      uniformLogits(V, [[5], [2, 3], [4], [1], [2]]),
      uniformLogits(V, [[5], [2], [4], [1], [2]]),
    ];
    const run = async (dusThreshold: number) =>
      (
        await runSamplerToEnd(
          scriptedModel(V, MASK, 5, half),
          { prompt: [5], genLength: 4 },
          { ...options, dusThreshold },
        )
      ).final;
    expect(await run(0.5)).toEqual([5, 2, 4, 1, 2]); // 0.5 is not below 0.5: kept
    expect(await run(0.5001)).toEqual([5, MASK, 4, 1, 2]);
  });

  it('makes blocks × levels calls, with pinned positions skipped', async () => {
    // Blocks of 4 ({0, 2}, {1, 3}) over 8 positions: 4 calls; a pinned word is never written.
    const all = Array.from({ length: 4 }, () => tableLogits(V, MASK, row({})));
    const trace = await runSamplerToEnd(
      scriptedModel(V, MASK, 9, all),
      { ...init, infill: [{ position: 3, token: 4 }] },
      { ...options, blockLength: 4 },
    );
    expect(trace.records.map((r) => [r.block, r.stepInBlock, r.committed])).toEqual([
      [0, 0, 1],
      [0, 1, 2],
      [1, 0, 2],
      [1, 1, 2],
    ]);
    expect(trace.final[3]).toBe(4);
  });
});

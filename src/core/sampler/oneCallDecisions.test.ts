import { describe, expect, it } from 'vitest';
import { tableLogits } from './fakeModels.testutil';
import { decisionsOnOneCall, ONE_CALL_STRATEGIES, type OneCallKnobs } from './oneCallDecisions';

const V = 8;
const M = 0;
const p = (token: number, prob: number) => ({ token, prob });
// Prompt 5 at 0; 2 committed at 1; masks at 2..5; 4 pinned at 6. The model would rewrite 1
// (3 at 0.95); the masks' probabilities are 0.9, 0.6, 0.85, 0.3.
const logits = tableLogits(V, M, [
  p(1, 0.99),
  p(3, 0.95),
  p(2, 0.9),
  p(3, 0.6),
  p(4, 0.85),
  p(5, 0.3),
  p(1, 0.99),
]);
const canvas = {
  tokens: [5, 2, M, M, M, M, 4],
  pinned: [true, false, false, false, false, false, true],
  promptLength: 1,
  maskId: M,
  steps: 4,
  call: 1,
};
const knobs: OneCallKnobs = {
  threshold: 0.88,
  editThreshold: 0.9,
  numToTransfer: 1,
  entropyBound: 1,
};

const commits = (call = 1, k: OneCallKnobs = knobs) =>
  Object.fromEntries(
    decisionsOnOneCall({ ...canvas, call }, logits, V, k).map((d) => [
      d.strategy,
      d.commit.map((c) => c.position),
    ]),
  );

describe('decisionsOnOneCall', () => {
  it('applies every rule to the same logits (hand-derived, 4 masks, S = 4, call 2 of 4)', () => {
    expect(commits()).toEqual({
      // even split of 4 masks over the 3 calls left: 2 first
      'llada.low_confidence': [2, 4],
      // the best, plus every other ≥ 0.88
      'fastdllm.threshold': [2],
      // Dream's float32 count at step 1 of 4 with 4 masks: trunc(4 · (1 − 0.5005 / 0.75025)) = 1
      'dream.maskgit_plus': [2],
      'dream.topk_margin': [2],
      'dream.entropy': [2],
      // ⌊4 / 3⌋ = 1
      article: [2],
      // only 2 is above 0.88; the floor sched[1] of 7 positions over 4 steps (2, 2, 2, 1) is 2
      'llada2.threshold': [2, 4],
      // above 0.88: just 2, which meets the floor of 1
      'llada21.edit': [2],
      // entropies 0.73 and 1.00 bits: d = 0, 0.73, 1.73 → two under γ = 1
      'eb.entropy_bound': [2, 4],
      // levels of 6 positions: {1, 4}, {2, 3, 5, 6}; the first with a mask places 4
      'dus.dilated': [4],
    });
  });

  it('reports LLaDA2.1’s edits with what they change, and only those', () => {
    const all = decisionsOnOneCall(canvas, logits, V, knobs);
    const edit = all.find((d) => d.strategy === 'llada21.edit')!;
    expect(edit.edit).toEqual([
      { position: 1, from: 2, to: 3, confidence: expect.closeTo(0.95, 9) },
    ]);
    expect(all.filter((d) => d.edit.length > 0).map((d) => d.strategy)).toEqual(['llada21.edit']);
    expect(all.find((d) => d.strategy === 'llada.low_confidence')!.commit[0]).toEqual({
      position: 2,
      token: 2,
      confidence: expect.closeTo(0.9, 9),
    });
  });

  it('follows the knobs and the call index', () => {
    expect(commits(1, { ...knobs, entropyBound: 0.5 })['eb.entropy_bound']).toEqual([2]);
    expect(commits(1, { ...knobs, editThreshold: 0.96 })['llada21.edit']).toEqual([2]);
    // The last call of 4: the schedules commit every mask.
    const last = commits(3);
    for (const s of ['llada.low_confidence', 'dream.maskgit_plus', 'article'])
      expect(last[s]).toEqual([2, 3, 4, 5]);
    // DUS with remasking takes back what is below its threshold (not at the last level).
    const dus = decisionsOnOneCall({ ...canvas, tokens: [5, M, M, M, M, M, 4] }, logits, V, {
      ...knobs,
      dusRemasking: 'low_confidence',
      dusThreshold: 0.9,
    }).find((d) => d.strategy === 'dus.dilated')!;
    expect([dus.commit.map((c) => c.position), dus.discard]).toEqual([[1], [4]]);
  });

  it('lists the rules that read the logits, and refuses logits of another shape', () => {
    expect(ONE_CALL_STRATEGIES).not.toContain('llada.random');
    expect(ONE_CALL_STRATEGIES).not.toContain('autoregressive');
    expect(() => decisionsOnOneCall(canvas, logits.subarray(V), V, knobs)).toThrow(/7 × 8/);
  });
});

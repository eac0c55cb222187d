import { describe, expect, it } from 'vitest';
import { answerEmergence } from './answerEmergence';
import type { PositionStatus, TraceRecord } from './trace';

const M = 0;

/** A record from its tokens; top guesses given per position (null: no top-k there). */
function rec(
  call: number,
  before: number[],
  after: number[],
  status: PositionStatus[],
  guesses: (number | null)[],
  inputLength = before.length,
): TraceRecord {
  return {
    call,
    block: 0,
    stepInBlock: call,
    t: null,
    inputLength,
    committed: status.filter((s) => s === 'committed').length,
    remasked: status.filter((s) => s === 'remasked').length,
    edited: status.filter((s) => s === 'edited').length,
    before,
    after,
    prediction: guesses.map((g, i) => g ?? before[i]),
    confidence: guesses.map(() => 0.5),
    candidate: before.map((t) => t === M),
    status,
    topK: guesses.map((g) => (g === null ? [] : [{ token: g, prob: 0.6 }])),
  };
}

// Four positions, 0 pinned to 9. Position 1: guesses 3, 4, 4, committed as 4 at call 1.
// Position 2: guesses 5, 6, 5; committed 6 at call 1, edited back to 5 at call 2.
// Position 3: unseen at call 0 (prefix of 3), guesses 7, 7, committed at call 2.
const records = [
  rec(
    0,
    [9, M, M, M],
    [9, M, M, M],
    ['pinned', 'masked', 'masked', 'masked'],
    [null, 3, 5, null],
    3,
  ),
  rec(
    1,
    [9, M, M, M],
    [9, 4, 6, M],
    ['pinned', 'committed', 'committed', 'masked'],
    [null, 4, 6, 7],
  ),
  rec(2, [9, 4, 6, M], [9, 4, 5, 7], ['pinned', 'kept', 'edited', 'committed'], [null, 4, 5, 7]),
];
const run = {
  initial: [9, M, M, M],
  pinned: [true, false, false, false],
  maskId: M,
  records,
  greedy: true,
};

describe('answerEmergence', () => {
  it('finds when each final token first became the top guess, its changes and its commit', () => {
    const map = answerEmergence(run);
    expect(map.calls).toBe(3);
    expect(
      map.positions.map((p) => [p.finalToken, p.emergedAt, p.guessChanges, p.committedAt]),
    ).toEqual([
      [9, null, 0, null], // pinned
      [4, 1, 1, 1], // 3 → 4
      [5, 0, 2, 2], // 5 → 6 → 5: emerged at 0, written for good by the edit at 2
      [7, 1, 0, 2], // unseen at 0: first guess at 1, no change
    ]);
    expect(map.positions[2].firstWrittenAt).toBe(1);
    expect(map.positions[3].topGuess).toEqual([null, 7, 7]);
    expect(map.committedPerCall).toEqual([0, 2, 1]);
    expect(map.editedPerCall).toEqual([0, 0, 1]);
  });

  it('gives a position that ends masked no emergence and no commit', () => {
    const sentBack = [
      rec(0, [9, M], [9, 3], ['pinned', 'committed'], [null, 3]),
      rec(1, [9, 3], [9, M], ['pinned', 'remasked'], [null, 3]),
    ];
    const map = answerEmergence({
      ...run,
      initial: [9, M],
      pinned: [true, false],
      records: sentBack,
    });
    expect(map.positions[1]).toMatchObject({
      finalToken: M,
      emergedAt: null,
      committedAt: null,
      firstWrittenAt: 0,
    });
    expect(map.remaskedPerCall).toEqual([0, 1]);
  });

  it('reads predictions as top guesses only for a greedy trace without top-k', () => {
    const noTopK = records.map((r) => ({ ...r, topK: r.topK.map(() => []) }));
    expect(answerEmergence({ ...run, records: noTopK }).positions[1].emergedAt).toBe(1);
    const sampled = answerEmergence({ ...run, records: noTopK, greedy: false });
    expect(sampled.positions[1]).toMatchObject({ emergedAt: null, guessChanges: 0 });
    expect(sampled.positions[1].topGuess).toEqual([null, null, null]);
  });

  it('has nothing to say before the first call', () => {
    const map = answerEmergence({ ...run, records: [] });
    expect(map.calls).toBe(0);
    expect(map.positions.map((p) => p.emergedAt)).toEqual([null, null, null, null]);
  });
});

import { describe, expect, it } from 'vitest';
import { resolveOptions, type PositionStatus, type TraceRecord } from '../../core/sampler';
import type { GenerationRun } from '../../state/generationRun';
import { cellsAt } from './cells';
import { confidenceUnit } from './confidenceScale';

function rec(
  call: number,
  before: number[],
  after: number[],
  status: PositionStatus[],
  prediction: number[],
  confidence: number[],
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
    prediction,
    confidence,
    candidate: before.map((t, i) => t === 0 && status[i] !== 'pinned'),
    status,
    topK: prediction.map((token) => [{ token, prob: 0.5 }]),
  };
}

// Four positions, mask id 0, position 4 pinned to token 9. Call 1 discards two guesses (the
// article's "remask the rest"), call 2 commits one, call 3 sends a committed token back (ReMDM).
const run: GenerationRun = {
  key: 'a',
  source: 'import',
  fileName: null,
  options: resolveOptions({ strategy: 'remdm', steps: 3 }),
  vocabSize: 10,
  maskId: 0,
  promptLength: 0,
  initial: [0, 0, 0, 9],
  pinned: [false, false, false, true],
  records: [
    rec(
      0,
      [0, 0, 0, 9],
      [5, 0, 0, 9],
      ['committed', 'remasked', 'remasked', 'pinned'],
      [5, 6, 7, 9],
      [0.9, 0.3, 0.2, 0.5],
    ),
    rec(
      1,
      [5, 0, 0, 9],
      [5, 6, 0, 9],
      ['kept', 'committed', 'masked', 'pinned'],
      [5, 6, 8, 9],
      [0.95, 0.7, 0.4, 0.5],
    ),
    rec(
      2,
      [5, 6, 0, 9],
      [0, 6, 7, 9],
      ['remasked', 'kept', 'committed', 'pinned'],
      [4, 6, 7, 9],
      [0.1, 0.8, 0.6, 0.5],
    ),
  ],
  callMs: [1, 1, 1],
  modelCalls: 0,
  status: 'done',
  error: null,
  trace: null,
};

const states = (frame: number) => cellsAt(run, frame).map((c) => c.state);

describe('cellsAt', () => {
  it('reads each frame’s states from its record alone', () => {
    expect(states(0)).toEqual(['masked', 'masked', 'masked', 'pinned']);
    expect(states(1)).toEqual(['new', 'discarded', 'discarded', 'pinned']);
    expect(states(2)).toEqual(['kept', 'new', 'masked', 'pinned']);
    expect(states(3)).toEqual(['sent-back', 'kept', 'new', 'pinned']);
    // Past the end a finished run keeps showing its last frame.
    expect(cellsAt(run, 7)).toEqual(cellsAt(run, 3));
  });

  it('shows guesses behind masks, struck tokens, and the confidence of the commit', () => {
    const [c0, c1, c2] = cellsAt(run, 1);
    expect([c0.token, c0.committedAt, c0.commitConfidence]).toEqual([5, 0, 0.9]);
    expect([c1.token, c1.guess, c1.struck]).toEqual([0, 6, 6]);
    expect(c2.struck).toBe(7);
    const f2 = cellsAt(run, 2);
    expect([f2[0].committedAt, f2[0].commitConfidence, f2[0].confidence]).toEqual([0, 0.9, 0.95]);
    expect([f2[2].guess, f2[2].struck]).toEqual([8, null]);
    const f3 = cellsAt(run, 3);
    // Sent back: the committed 5 is crossed out and the position has no commit any more.
    expect([f3[0].token, f3[0].struck, f3[0].committedAt]).toEqual([0, 5, null]);
    expect([f3[1].committedAt, f3[2].committedAt]).toEqual([1, 2]);
    expect(f3[3]).toMatchObject({ state: 'pinned', guess: null, confidence: null });
  });

  it('gives the same cells for a frame however it was reached (step back is exact)', () => {
    const direct = cellsAt(run, 2);
    cellsAt(run, 3);
    expect(cellsAt(run, 2)).toEqual(direct);
  });
});

describe('cellsAt for the newer samplers', () => {
  // LLaDA2.1 on four positions (prompt 9 at 0), blocks of 2: call 1 sees only [0, 2) and
  // commits 1; call 2 sees everything, rewrites 1 (5 → 6) and commits 2 and 3.
  const editing: GenerationRun = {
    ...run,
    options: resolveOptions({ strategy: 'llada21.edit', steps: 1, blockLength: 2 }),
    initial: [9, 0, 0, 0],
    pinned: [true, false, false, false],
    promptLength: 1,
    records: [
      rec(
        0,
        [9, 0, 0, 0],
        [9, 5, 0, 0],
        ['pinned', 'committed', 'masked', 'masked'],
        [9, 5, 0, 0],
        [0, 0.9, 0, 0],
        2,
      ),
      rec(
        1,
        [9, 5, 0, 0],
        [9, 6, 7, 8],
        ['pinned', 'edited', 'committed', 'committed'],
        [1, 6, 7, 8],
        [0.9, 0.97, 0.8, 0.7],
      ),
    ],
  };

  it('marks the positions a prefix call did not give the model, with no guess there', () => {
    const f1 = cellsAt(editing, 1);
    expect(f1.map((c) => c.seen)).toEqual([true, true, false, false]);
    expect(f1.map((c) => c.guess)).toEqual([null, 5, null, null]);
    expect(f1[2]).toMatchObject({ state: 'masked', confidence: null, candidates: [] });
    expect(cellsAt(editing, 0).every((c) => c.seen)).toBe(true);
  });

  it('shows an edited token as what it became, with what it was struck', () => {
    const f2 = cellsAt(editing, 2);
    expect(f2[1]).toMatchObject({ state: 'edited', token: 6, struck: 5, confidence: 0.97 });
    // The edit is the position's latest commit.
    expect([f2[1].committedAt, f2[1].commitConfidence]).toEqual([1, 0.97]);
    expect(f2.map((c) => c.seen)).toEqual([true, true, true, true]);
  });
});

describe('confidenceUnit', () => {
  it('keeps probabilities, maps Dream’s negative entropy over [−ln V, 0], and sends −∞ to 0', () => {
    expect(confidenceUnit('article', 0.42, 147)).toBe(0.42);
    expect(confidenceUnit('dream.entropy', 0, 147)).toBe(1);
    expect(confidenceUnit('dream.entropy', -Math.log(147), 147)).toBeCloseTo(0, 12);
    expect(confidenceUnit('dream.entropy', -Math.log(147) / 2, 147)).toBeCloseTo(0.5, 12);
    expect(confidenceUnit('llada.low_confidence', -Infinity, 147)).toBe(0);
    // The EB-Sampler's entropy is in bits: −H over [−log₂ V, 0].
    expect(confidenceUnit('eb.entropy_bound', -Math.log2(147) / 4, 147)).toBeCloseTo(0.75, 12);
  });
});

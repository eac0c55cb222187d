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
): TraceRecord {
  return {
    call,
    block: 0,
    stepInBlock: call,
    t: null,
    committed: status.filter((s) => s === 'committed').length,
    remasked: status.filter((s) => s === 'remasked').length,
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

describe('confidenceUnit', () => {
  it('keeps probabilities, maps Dream’s negative entropy over [−ln V, 0], and sends −∞ to 0', () => {
    expect(confidenceUnit('article', 0.42, 147)).toBe(0.42);
    expect(confidenceUnit('dream.entropy', 0, 147)).toBe(1);
    expect(confidenceUnit('dream.entropy', -Math.log(147), 147)).toBeCloseTo(0, 12);
    expect(confidenceUnit('dream.entropy', -Math.log(147) / 2, 147)).toBeCloseTo(0.5, 12);
    expect(confidenceUnit('llada.low_confidence', -Infinity, 147)).toBe(0);
  });
});

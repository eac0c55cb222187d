import { describe, expect, it } from 'vitest';
import { resolveOptions, TRACE_SCHEMA, type PositionStatus, type SamplerTrace } from '../sampler';
import { painterFigures, summarizePainter } from './painterFigures';

const MASK = 0;
const EOS = 2;
const special = { mask: MASK, pad: 1, eos: EOS };

/**
 * A trace of a 4-position window from the committed (position, token) pairs of each call; only
 * the fields the figures read are meaningful.
 */
function traceOf(calls: [number, number][][], pinned = [false, false, false, false]): SamplerTrace {
  const tokens: number[] = pinned.map((p) => (p ? 7 : MASK));
  const records = calls.map((commits, call) => {
    const before = tokens.slice();
    const status: PositionStatus[] = tokens.map((t, i) =>
      pinned[i] ? 'pinned' : t === MASK ? 'masked' : 'kept',
    );
    for (const [i, token] of commits) {
      tokens[i] = token;
      status[i] = 'committed';
    }
    return {
      call,
      block: 0,
      stepInBlock: call,
      t: null,
      committed: commits.length,
      remasked: 0,
      edited: 0,
      inputLength: tokens.length,
      before,
      after: tokens.slice(),
      prediction: tokens.slice(),
      confidence: tokens.map(() => 0.5),
      candidate: tokens.map(() => true),
      status,
      topK: tokens.map(() => []),
    };
  });
  return {
    schema: TRACE_SCHEMA,
    options: resolveOptions({ strategy: 'article', steps: calls.length }),
    vocabSize: 10,
    maskId: MASK,
    promptLength: 0,
    initial: pinned.map((p) => (p ? 7 : MASK)),
    pinned,
    records,
    final: tokens.slice(),
  };
}

describe('painterFigures', () => {
  it('counts the [EOS]-first run of the plain sampler as a typewriter going backwards', () => {
    // Calls 1–2 commit the [EOS] tail right to left, calls 3–4 write "5 6".
    const trace = traceOf([[[3, EOS]], [[2, EOS]], [[1, 6]], [[0, 5]]]);
    expect(painterFigures(trace, special)).toEqual({
      words: 2,
      firstHalfCommits: 2,
      firstHalfWords: 0,
    });
  });

  it('counts only the words before the first [EOS] and never pinned ones', () => {
    // Position 0 is pinned; the model writes 8 at 1, [EOS] at 2 and a stray word 9 at 3.
    const trace = traceOf([[[1, 8]], [[3, 9]], [[2, EOS]]], [true, false, false, false]);
    // Three calls: the first half is call 0 alone (⌊3 / 2⌋ = 1), one word.
    expect(painterFigures(trace, special)).toEqual({
      words: 1,
      firstHalfCommits: 1,
      firstHalfWords: 1,
    });
  });

  it('summarizes runs by the median sentence and the pooled first-half share', () => {
    const painter = traceOf([[[1, 5]], [[0, 6]], [[2, 7]], [[3, EOS]]]); // 3 words, 2/2
    const typewriter = traceOf([[[3, EOS]], [[2, EOS]], [[1, 6]], [[0, 5]]]); // 2 words, 0/2
    const mixed = traceOf([
      [
        [0, 5],
        [3, EOS],
      ],
      [[1, 6]],
      [[2, 7]],
      [],
    ]); // 3 words, 2/3
    const summary = summarizePainter([painter, typewriter, mixed], special);
    expect(summary.medianWords).toBe(3);
    expect(summary.firstHalfWordShare).toBeCloseTo((2 + 0 + 2) / (2 + 2 + 3), 12);
    expect(summarizePainter([painter, typewriter], special).medianWords).toBe(2.5);
  });
});

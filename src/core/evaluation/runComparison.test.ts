import { describe, expect, it } from 'vitest';
import { toySentences } from '../corpus/toySentences';
import { traceFromLogits } from '../sampler';
import { tableLogits } from '../sampler/fakeModels.testutil';
import { compareRuns } from './runComparison';

const vocab = toySentences.vocab;
const L = toySentences.seqLen;
const MASK = vocab.maskId;
const EOS = vocab.eosId;
const id = (w: string) => vocab.id(w);

/** Logits sure of `words` then [EOS], less sure further right, the same at every call. */
function sure(words: string[]) {
  const ids = [...words.map(id), ...Array(L - words.length).fill(EOS)];
  return tableLogits(
    vocab.size,
    MASK,
    ids.map((token, i) => ({ token, prob: 0.9 - 0.01 * i })),
  );
}

describe('compareRuns', () => {
  it('counts calls, asks the oracle, and finds where two runs differ', () => {
    const sentence = ['the', 'cat', 'sat', 'on', 'the', 'mat'];
    expect(toySentences.isValid(sentence)).toBe(true);
    const init = { prompt: [], genLength: L };
    // Run a: the article's sampler over 4 calls, sure of the sentence.
    const a = traceFromLogits(
      init,
      { strategy: 'article', steps: 4, temperature: 0 },
      vocab.size,
      MASK,
      Array.from({ length: 4 }, () => sure(sentence)),
    );
    // Run b: a person, 2 calls, who wrote the first word at call 2 and a wrong last word.
    const wrong = ['the', 'cat', 'sat', 'on', 'the', 'the'];
    const all = Array.from({ length: L }, (_, i) => i);
    const b = traceFromLogits(
      init,
      { strategy: 'human', steps: 1, temperature: 0 },
      vocab.size,
      MASK,
      [sure(sentence), sure(sentence)],
      [
        {
          commit: all.slice(1),
          typed: [{ position: sentence.length - 1, token: id(wrong[wrong.length - 1]) }],
        },
        { commit: [0] },
      ],
    );
    const judge = (ids: readonly number[]) => toySentences.isValidWindow(ids);
    const c = compareRuns(a, b, judge);
    expect(c.a.calls).toBe(4);
    expect(c.b.calls).toBe(2);
    expect(c.a.valid).toBe(true);
    expect(c.a.masksLeft).toBe(0);
    expect(toySentences.isValid(wrong)).toBe(false);
    expect(c.b.valid).toBe(false);
    expect(c.differing).toEqual([sentence.length - 1]);
    expect(c.b.writtenAt[0]).toBe(1);
    expect(c.b.writtenAt[1]).toBe(0);
    // The article wrote ⌊16 / 4⌋ = 4 positions a call, most confident (leftmost) first.
    expect(c.a.writtenAt).toEqual(Array.from({ length: L }, (_, i) => Math.floor(i / 4)));
    // The person wrote position 1 at call 2 and the rest at call 1: the same words at other
    // calls are position 1 and positions 5–16, but for the differing last word (6).
    expect(c.sameWordOtherCall).toEqual([0, 4, ...Array.from({ length: 10 }, (_, k) => 6 + k)]);
    expect(compareRuns(a, b).a.valid).toBeNull();
  });

  it('refuses runs from different windows', () => {
    const a = { records: [], initial: [MASK, MASK], maskId: MASK };
    const b = { records: [], initial: [MASK, EOS], maskId: MASK };
    expect(() => compareRuns(a, b)).toThrow(/same window/);
  });
});

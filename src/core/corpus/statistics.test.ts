import { describe, expect, it } from 'vitest';
import { sentenceLengthDistribution, unigramDistribution } from './statistics';
import { TOY_SEQ_LEN, toyGrammar, toySentences } from './toySentences';

describe('corpus statistics', () => {
  const n = 4000;
  const unigram = unigramDistribution(toySentences, n, 3);

  it('gives a distribution over the vocabulary that never holds [MASK] or [PAD]', () => {
    expect(unigram).toHaveLength(toySentences.vocab.size);
    expect(unigram.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(unigram[toySentences.vocab.maskId]).toBe(0);
    expect(unigram[toySentences.vocab.padId]).toBe(0);
  });

  it('matches the exact expected word counts of the grammar', () => {
    // Per window position, a word's share is its expected count per sentence / 16, and
    // [EOS] fills the rest: 1 − E[length] / 16.
    const expected = toyGrammar.expectedWordCounts();
    const lengths = toyGrammar.lengthDistribution();
    const meanLength = lengths.reduce((acc, p, len) => acc + p * len, 0);
    const eos = unigram[toySentences.vocab.eosId];
    expect(Math.abs(eos - (1 - meanLength / TOY_SEQ_LEN))).toBeLessThan(0.01);
    for (const [word, count] of expected) {
      const share = unigram[toySentences.vocab.id(word)];
      expect(Math.abs(share - count / TOY_SEQ_LEN), word).toBeLessThan(0.006);
    }
  });

  it('is seeded', () => {
    expect(unigramDistribution(toySentences, 50, 9)).toEqual(
      unigramDistribution(toySentences, 50, 9),
    );
    expect(unigramDistribution(toySentences, 50, 9)).not.toEqual(
      unigramDistribution(toySentences, 50, 10),
    );
    expect(() => unigramDistribution(toySentences, 0, 1)).toThrow(/positive integer/);
  });

  it('measures sentence lengths', () => {
    const d = sentenceLengthDistribution(toySentences, n, 4);
    expect(d).toHaveLength(TOY_SEQ_LEN);
    expect(d.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const exact = toyGrammar.lengthDistribution();
    d.forEach((p, len) => expect(Math.abs(p - (exact[len] ?? 0))).toBeLessThan(0.025));
  });
});

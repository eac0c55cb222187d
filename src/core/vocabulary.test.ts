import { describe, expect, it } from 'vitest';
import { Vocabulary, tokenize } from './vocabulary';

const words = ['the', 'cat', 'hat', 'bat', 'sat', 'dog'];
const frequencies = new Map([
  ['the', 10],
  ['cat', 5],
  ['hat', 1],
  ['bat', 3],
  ['sat', 2],
  ['dog', 4],
]);

describe('Vocabulary', () => {
  const vocab = Vocabulary.withSpecials(words, frequencies);

  it('puts [MASK], [PAD], [EOS] first', () => {
    expect(vocab.tokens.slice(0, 3)).toEqual(['[MASK]', '[PAD]', '[EOS]']);
    expect([vocab.maskId, vocab.padId, vocab.eosId]).toEqual([0, 1, 2]);
    expect(vocab.size).toBe(9);
    expect(vocab.id('the')).toBe(3);
    expect(vocab.word(8)).toBe('dog');
    expect(vocab.isSpecial(2)).toBe(true);
    expect(vocab.isSpecial(3)).toBe(false);
  });

  it('refuses unknown words and ids with a reason', () => {
    expect(() => vocab.id('teh')).toThrow(
      /'teh' is not in the vocabulary \(did you mean 'the'\?\)/,
    );
    expect(() => vocab.word(9)).toThrow(/outside the vocabulary/);
    expect(() => vocab.word(-1)).toThrow(/outside the vocabulary/);
  });

  it('encodes known words and names every unknown one with suggestions', () => {
    const { ids, unknown } = vocab.encodeWords(['the', 'xat', 'sat', 'teh', 'zzzzzz']);
    expect(Array.from(ids)).toEqual([3, -1, 7, -1, -1]);
    expect(unknown).toEqual([
      // Four words at distance 1; the three most frequent win.
      { index: 1, word: 'xat', suggestions: ['cat', 'bat', 'sat'] },
      // A swap is one edit; everything else is 3 away, beyond the radius of a 3-letter word.
      { index: 3, word: 'teh', suggestions: ['the'] },
      { index: 4, word: 'zzzzzz', suggestions: [] },
    ]);
  });

  it('breaks suggestion ties alphabetically when frequencies are equal', () => {
    const plain = Vocabulary.withSpecials(words);
    expect(plain.suggest('xat')).toEqual(['bat', 'cat', 'hat']);
    expect(plain.suggest('xat', 5)).toEqual(['bat', 'cat', 'hat', 'sat']);
  });

  it('never suggests a special token', () => {
    expect(vocab.suggest('[mask]')).toEqual([]);
    expect(vocab.suggest('pad')).not.toContain('[PAD]');
  });

  it('decodes up to the first [EOS], drops [PAD], shows [MASK]', () => {
    const ids = [3, 4, 0, 1, 7, 2, 8, 2];
    expect(vocab.decodeWords(ids)).toEqual(['the', 'cat', '[MASK]', 'sat']);
    expect(vocab.decode(ids)).toBe('the cat [MASK] sat');
    expect(vocab.decode([2, 3])).toBe('');
    expect(vocab.decode([3, 4])).toBe('the cat');
  });

  it('encodes typed text, a typed [mask] included', () => {
    const { ids, unknown } = vocab.encode('The CAT [mask] sat.');
    expect(Array.from(ids)).toEqual([3, 4, 0, 7]);
    expect(unknown).toEqual([]);
  });

  it('rejects malformed vocabularies', () => {
    expect(() => new Vocabulary(['[MASK]', '[PAD]', '[EOS]', 'a', 'a'])).toThrow(/twice/);
    expect(() => new Vocabulary(['[MASK]', '[PAD]'])).toThrow(/eos id 2 is outside/);
    expect(() => new Vocabulary(['x', 'y', 'z'], { special: { mask: 0, pad: 0, eos: 2 } })).toThrow(
      /must differ/,
    );
    expect(() => new Vocabulary(['a', 'b', 'c'], { frequencies: [1, 2] })).toThrow(/2 entries/);
  });

  it('reads a package vocabulary with other special ids', () => {
    const v = new Vocabulary(['hi', '<eos>', '<pad>', '<mask>'], {
      special: { mask: 3, pad: 2, eos: 1 },
    });
    expect(v.decode([0, 3, 2, 0, 1, 0])).toBe('hi [MASK] hi');
  });

  it("reads a vocabulary with [MASK] alone (the article's): no end token, nothing dropped", () => {
    const v = new Vocabulary(['[MASK]', 'the', 'cat', 'sat'], { special: { mask: 0 } });
    expect(v.endId).toBeNull();
    expect(() => v.eosId).toThrow(/no \[EOS\] token/);
    expect(() => v.padId).toThrow(/no \[PAD\] token/);
    // Every id but [MASK] is a word: none ends the text, none is skipped.
    expect(v.decode([1, 2, 3, 1, 0, 2])).toBe('the cat sat the [MASK] cat');
    expect(v.isSpecial(0)).toBe(true);
    expect([1, 2, 3].map((id) => v.isSpecial(id))).toEqual([false, false, false]);
    expect(v.encode('the [eos] cat').unknown.map((u) => u.word)).toEqual(['[EOS]']);
    expect(Vocabulary.withSpecials(['a']).endId).toBe(2);
  });
});

describe('tokenize', () => {
  it('lowercases and splits on whitespace and punctuation', () => {
    expect(tokenize('The cat,  sat...on THE mat!')).toEqual([
      'the',
      'cat',
      'sat',
      'on',
      'the',
      'mat',
    ]);
    expect(tokenize("don't\tstop\n")).toEqual(['don', 't', 'stop']);
    expect(tokenize('  ,. ')).toEqual([]);
  });

  it('keeps typed special tokens whole', () => {
    expect(tokenize('the [Mask] sat [EOS]')).toEqual(['the', '[MASK]', 'sat', '[EOS]']);
    expect(tokenize('[cat]')).toEqual(['cat']);
    expect(tokenize('ab [sep] cd')).toEqual(['ab', '[SEP]', 'cd']);
  });

  it('makes every Han character a token of its own', () => {
    expect(tokenize('窈窕淑女 [SEP]君子')).toEqual(['窈', '窕', '淑', '女', '[SEP]', '君', '子']);
    expect(tokenize('ab窈c')).toEqual(['ab', '窈', 'c']);
  });
});

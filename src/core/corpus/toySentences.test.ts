import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { Vocabulary } from '../vocabulary';
import { windowWords, wordsToWindow } from './corpus';
import { TOY_SEQ_LEN, toyGrammar, toySentences as corpus } from './toySentences';

const words = (s: string) => (s === '' ? [] : s.split(' '));
const valid = (s: string) => corpus.isValid(words(s));
const vocab = corpus.vocab;
const window = (s: string) => wordsToWindow(words(s), vocab, TOY_SEQ_LEN);

describe('toy-sentences: the language', () => {
  it("holds the article's examples", () => {
    expect(valid('the cat sat on the mat')).toBe(true);
    expect(valid('the cat sat here')).toBe(true);
    expect(valid('it is a way to compute')).toBe(true);
  });

  it('makes the subject head noun agree with a present verb across a PP', () => {
    expect(valid('the cat near the dogs sits')).toBe(true);
    expect(valid('the cats near the dog sit')).toBe(true);
    expect(valid('the cat near the dogs sit')).toBe(false);
    expect(valid('the cats near the dog sits')).toBe(false);
    expect(valid('the old cat near the little dogs is happy')).toBe(true);
    expect(valid('the old cat near the little dogs are happy')).toBe(false);
    expect(valid('the cats under an umbrella were here')).toBe(true);
    expect(valid('the cats under an umbrella was here')).toBe(false);
  });

  it('lets past tense verbs (other than was/were) ignore number', () => {
    expect(valid('the cat near the dogs sat')).toBe(true);
    expect(valid('the cats near the dog sat')).toBe(true);
  });

  it('chooses a / an by the sound of the next word', () => {
    expect(valid('an old cat sat here')).toBe(true);
    expect(valid('a old cat sat here')).toBe(false);
    expect(valid('a small owl sat here')).toBe(true);
    expect(valid('an small owl sat here')).toBe(false);
    expect(valid('an owl sat here')).toBe(true);
    expect(valid('a owl sat here')).toBe(false);
    expect(valid('a unicorn sleeps')).toBe(true);
    expect(valid('an unicorn sleeps')).toBe(false);
    expect(valid('an honest king sleeps')).toBe(true);
    expect(valid('a honest king sleeps')).toBe(false);
    expect(valid('it is a useful way to compute')).toBe(true);
    expect(valid('it is an useful way to compute')).toBe(false);
    expect(valid('it is an easy way to learn')).toBe(true);
  });

  it('makes a reflexive agree with its subject in number and gender', () => {
    expect(valid('the boys saw themselves')).toBe(true);
    expect(valid('the boys saw himself')).toBe(false);
    expect(valid('the girl saw herself')).toBe(true);
    expect(valid('the girl saw himself')).toBe(false);
    expect(valid('the queen near the kings sees herself')).toBe(true);
    expect(valid('the queen near the kings sees themselves')).toBe(false);
    expect(valid('the girl said that he saw himself')).toBe(true);
    expect(valid('the girl said that he saw herself')).toBe(false);
    expect(valid('they said that she sleeps')).toBe(true);
    expect(valid('she said that they sleeps')).toBe(false);
  });

  it('makes determiners agree with their noun', () => {
    expect(valid('these cats sleep')).toBe(true);
    expect(valid('these cat sleeps')).toBe(false);
    expect(valid('this cats sleep')).toBe(false);
  });

  it('rejects what is not a sentence', () => {
    expect(valid('the cat on the mat')).toBe(false); // no verb
    expect(valid('sat on the mat')).toBe(false); // no subject
    expect(valid('the mat sits')).toBe(false); // things are never subjects
    expect(valid('the cat sat on the rug')).toBe(false); // not a word of the language
    expect(valid('the cat sat [MASK] the mat')).toBe(false);
    expect(valid('the cat sat here [EOS]')).toBe(false);
    expect(valid('')).toBe(false);
    expect(valid('cats sleep')).toBe(false);
    // Fifteen words is the longest sentence; one more does not fit the window.
    const longest = 'the small cat near the old dogs chased the big mouse under the little box';
    expect(words(longest)).toHaveLength(15);
    expect(valid(longest)).toBe(true);
    expect(valid(longest + ' today')).toBe(false);
  });

  it('accepts every sampled sentence, and has sentences of 3..15 words', () => {
    const rng = new Rng(20240501);
    let shortest = Infinity;
    let longest = 0;
    for (let i = 0; i < 3000; i++) {
      const s = corpus.sample(rng);
      if (!corpus.isValid(s)) throw new Error(`oracle rejects a sample: ${s.join(' ')}`);
      shortest = Math.min(shortest, s.length);
      longest = Math.max(longest, s.length);
    }
    expect(corpus.minWords).toBe(3);
    expect(corpus.maxWords).toBe(15);
    expect(shortest).toBe(3);
    expect(longest).toBeLessThanOrEqual(15);
  });

  it('loses validity when one agreement-bearing word is swapped (sampled sentences)', () => {
    const pairs = [
      ['is', 'are'],
      ['was', 'were'],
      ...'sit sleep run wait sing see like chase help say think'
        .split(' ')
        .map((v) => [v + 's', v]),
      ['watches', 'watch'],
    ];
    const present = new Map([...pairs, ...pairs.map(([x, y]) => [y, x])].map(([x, y]) => [x, y]));
    const reflexives = ['himself', 'herself', 'itself', 'themselves'];
    const rng = new Rng(99);
    let checked = 0;
    for (let i = 0; i < 1500; i++) {
      const s = corpus.sample(rng);
      s.forEach((w, k) => {
        const swaps: string[] = [];
        if (w === 'a') swaps.push('an');
        if (w === 'an') swaps.push('a');
        if (present.has(w)) swaps.push(present.get(w)!);
        if (reflexives.includes(w)) swaps.push(...reflexives.filter((r) => r !== w));
        for (const swap of swaps) {
          const broken = [...s];
          broken[k] = swap;
          if (corpus.isValid(broken)) throw new Error(`accepted: ${broken.join(' ')}`);
          checked++;
        }
      });
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('spreads lengths mostly over 4..12 words (exact, from the rules, and sampled)', () => {
    const exact = toyGrammar.lengthDistribution();
    const total = exact.reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    expect(exact.slice(0, 3).every((p) => p === 0)).toBe(true);
    const mid = exact.slice(4, 13).reduce((a, b) => a + b, 0);
    expect(mid).toBeGreaterThan(0.8);
    const rng = new Rng(5);
    const n = 10000;
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < n; i++) counts[corpus.sample(rng).length]++;
    for (let len = 0; len < 16; len++) {
      // Sampler and exact distribution are separate code paths; they must agree.
      expect(Math.abs(counts[len] / n - (exact[len] ?? 0))).toBeLessThan(0.015);
    }
  });

  it('is deterministic per seed', () => {
    const a = new Rng(11);
    const b = new Rng(11);
    const c = new Rng(12);
    const fromA = Array.from({ length: 20 }, () => corpus.sample(a).join(' '));
    const fromB = Array.from({ length: 20 }, () => corpus.sample(b).join(' '));
    const fromC = Array.from({ length: 20 }, () => corpus.sample(c).join(' '));
    expect(fromA).toEqual(fromB);
    expect(fromA).not.toEqual(fromC);
    expect(corpus.sampleBatch(new Rng(4), 8)).toEqual(corpus.sampleBatch(new Rng(4), 8));
  });
});

describe('toy-sentences: vocabulary and windows', () => {
  it('has 80..200 tokens, specials first, exactly the words of the grammar', () => {
    expect(vocab.size).toBeGreaterThanOrEqual(80);
    expect(vocab.size).toBeLessThanOrEqual(200);
    expect(vocab.tokens.slice(0, 3)).toEqual(['[MASK]', '[PAD]', '[EOS]']);
    expect([...vocab.tokens.slice(3)].sort()).toEqual([...toyGrammar.terminals].sort());
    expect(vocab.tokens.slice(3).every((w) => w === w.toLowerCase())).toBe(true);
  });

  it('suggests known words for typos', () => {
    const { unknown } = vocab.encodeWords(['the', 'cta', 'sta', 'hree']);
    expect(unknown.map((u) => u.index)).toEqual([1, 2, 3]);
    expect(unknown[0].suggestions[0]).toBe('cat');
    expect(unknown[1].suggestions).toContain('sat');
    expect(unknown[2].suggestions[0]).toBe('here');
  });

  it('writes a sentence as its ids then [EOS] to the end', () => {
    const w = window('the cat sat here');
    expect(w).toHaveLength(16);
    expect(Array.from(w.slice(0, 4))).toEqual(
      ['the', 'cat', 'sat', 'here'].map((x) => vocab.id(x)),
    );
    expect(Array.from(w.slice(4)).every((id) => id === vocab.eosId)).toBe(true);
    expect(vocab.decode(w)).toBe('the cat sat here');
    expect(() => wordsToWindow(new Array(16).fill('cat'), vocab, 16)).toThrow(/does not fit/);
  });

  it('samples windows and batches that the window oracle accepts', () => {
    const rng = new Rng(8);
    const batch = corpus.sampleBatch(rng, 500);
    expect(batch).toHaveLength(500 * 16);
    for (let b = 0; b < 500; b++) {
      const row = batch.subarray(b * 16, (b + 1) * 16);
      expect(corpus.isValidWindow(row)).toBe(true);
      expect(row[15]).toBe(vocab.eosId); // always at least one [EOS]
      expect(row.includes(vocab.padId)).toBe(false);
      expect(row.includes(vocab.maskId)).toBe(false);
    }
    expect(corpus.isValidWindow(corpus.sampleWindow(rng))).toBe(true);
  });

  it('rejects malformed windows', () => {
    const eos = vocab.eosId;
    const ok = window('the cat sat on the mat');
    expect(corpus.isValidWindow(ok)).toBe(true);
    expect(corpus.isValidWindow(Array.from(ok))).toBe(true);

    const afterEos = Array.from(window('the cat sat here'));
    afterEos[5] = vocab.id('today'); // a word after the first [EOS]
    expect(corpus.isValidWindow(afterEos)).toBe(false);

    const masked = Array.from(ok);
    masked[2] = vocab.maskId;
    expect(corpus.isValidWindow(masked)).toBe(false);

    const padded = Array.from(window('the cat sat here'));
    padded[10] = vocab.padId;
    expect(corpus.isValidWindow(padded)).toBe(false);

    const tooLong = new Array(16).fill(vocab.id('cat')); // no [EOS]
    expect(corpus.isValidWindow(tooLong)).toBe(false);
    expect(corpus.isValidWindow(new Array(16).fill(eos))).toBe(false); // empty sentence
    expect(corpus.isValidWindow([...Array.from(ok).slice(0, 15), 999])).toBe(false);
    expect(corpus.isValidWindow(window('the cat near the dogs sit'))).toBe(false);
  });

  it('reads a window through another vocabulary order', () => {
    const reversed = new Vocabulary([...vocab.tokens].reverse(), {
      special: { mask: vocab.size - 1, pad: vocab.size - 2, eos: vocab.size - 3 },
    });
    const ids = wordsToWindow(words('the cat sat here'), reversed, 16);
    expect(corpus.isValidWindow(ids, reversed)).toBe(true);
    expect(corpus.isValidWindow(ids)).toBe(false);
    expect(windowWords(ids, reversed)).toEqual(words('the cat sat here'));
  });
});

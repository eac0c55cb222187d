import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { BUILT_IN_COUPLETS } from './builtInCouplets';
import {
  coupletSeqLen,
  coupletVocabulary,
  coupletWindow,
  createCoupletCorpus,
  lineCharacters,
  parseCouplets,
  SEP_TOKEN,
} from './couplets';

const LLADA_FILE = new URL('../../../../shared/data/llada-poem-couplets.json', import.meta.url);

describe('parseCouplets', () => {
  it('reads a list of {first, second}, trims lines and ignores extra fields', () => {
    const parsed = parseCouplets('[{"first": " ab ", "second": "cd", "source": "x"}]');
    expect(parsed).toEqual({ ok: true, couplets: [{ first: 'ab', second: 'cd' }] });
  });

  it('names every bad entry, 1-based, in words', () => {
    const parsed = parseCouplets([
      { first: 'ok', second: 'fine' },
      'just a string',
      { first: 'ab' },
      { first: '', second: 3 },
      { first: 'x'.repeat(33), second: 'y' },
      { first: 'a[SEP]b', second: 'c' },
      { first: 'a\nb', second: 'c' },
    ]);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors).toEqual([
      'entry 2: expected an object {"first": …, "second": …}, got "just a string"',
      'entry 3: "second" must be a string, got missing',
      'entry 4: "first" is empty',
      'entry 4: "second" must be a string, got a number',
      'entry 5: "first" has 33 characters; at most 32',
      'entry 6: "first" spells a special token (a[SEP]b)',
      'entry 7: "first" holds a line break or tab',
    ]);
  });

  it('refuses what is not a list, an empty list and broken JSON', () => {
    expect(parseCouplets({ first: 'a', second: 'b' })).toEqual({
      ok: false,
      errors: ['expected a JSON list of {"first": …, "second": …}, got an object'],
    });
    expect(parseCouplets([])).toEqual({ ok: false, errors: ['the list is empty: no couplets'] });
    const broken = parseCouplets('[{"first": "a",');
    expect(broken.ok === false && broken.errors[0].startsWith('not JSON:')).toBe(true);
  });

  it('lists at most 12 problems and counts the rest', () => {
    const parsed = parseCouplets(Array.from({ length: 20 }, () => 1));
    expect(parsed.ok === false && parsed.errors.length).toBe(13);
    expect(parsed.ok === false && parsed.errors[12]).toBe('… and 8 more');
  });

  it("accepts the LLaDA authors' 469 couplets: lines of 2 to 11 characters, window 24", () => {
    const parsed = parseCouplets(fs.readFileSync(LLADA_FILE, 'utf8'));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    const { couplets } = parsed;
    expect(couplets).toHaveLength(469);
    const lengths = couplets.flatMap((c) =>
      [c.first, c.second].map((l) => lineCharacters(l).length),
    );
    expect(Math.min(...lengths)).toBe(2);
    expect(Math.max(...lengths)).toBe(11);
    expect(coupletSeqLen(couplets)).toBe(24);
    const unequal = couplets.filter(
      (c) => lineCharacters(c.first).length !== lineCharacters(c.second).length,
    );
    expect(unequal).toHaveLength(51);
  });
});

describe('couplet windows and vocabulary', () => {
  const couplets = [
    { first: 'ba', second: 'cab' },
    { first: 'a', second: 'd' },
  ];

  it('has the four special tokens, then the characters by code point', () => {
    const vocab = coupletVocabulary(couplets);
    expect(vocab.tokens).toEqual(['[MASK]', '[PAD]', '[EOS]', SEP_TOKEN, 'a', 'b', 'c', 'd']);
    expect(vocab.special).toEqual({ mask: 0, pad: 1, eos: 2 });
  });

  it('writes first + [SEP] + second, then [EOS] to the end of the window', () => {
    const vocab = coupletVocabulary(couplets);
    expect(coupletSeqLen(couplets)).toBe(7);
    expect(Array.from(coupletWindow(couplets[0], vocab, 7))).toEqual([5, 4, 3, 6, 4, 5, 2]);
    expect(Array.from(coupletWindow(couplets[1], vocab, 7))).toEqual([4, 3, 7, 2, 2, 2, 2]);
    expect(() => coupletWindow(couplets[0], vocab, 6)).toThrow(/does not fit/);
  });

  it('counts a character outside the BMP as one token', () => {
    expect(lineCharacters('𠀀a')).toEqual(['𠀀', 'a']);
  });

  it('is a corpus: windows drawn from the couplets, and an oracle that knows exactly them', () => {
    const corpus = createCoupletCorpus('tiny', 'two couplets', couplets);
    const rng = new Rng(3);
    const batch = corpus.sampleBatch(rng, 40);
    const rows = new Set<string>();
    for (let b = 0; b < 40; b++) {
      const row = batch.subarray(b * 7, (b + 1) * 7);
      expect(corpus.isValidWindow(row)).toBe(true);
      rows.add(row.join(','));
    }
    expect(rows.size).toBe(2);
    expect(corpus.isValid(['b', 'a', SEP_TOKEN, 'c', 'a', 'b'])).toBe(true);
    expect(corpus.isValid(['c', 'a', 'b', SEP_TOKEN, 'b', 'a'])).toBe(false);
    expect(corpus.isValidWindow([4, 3, 7, 2, 2, 2, 0])).toBe(false);
    expect([corpus.minWords, corpus.maxWords]).toEqual([3, 6]);
  });

  it('ships its own couplets, all of which fit a window of 24', () => {
    expect(BUILT_IN_COUPLETS.length).toBeGreaterThanOrEqual(40);
    expect(parseCouplets(BUILT_IN_COUPLETS).ok).toBe(true);
    expect(coupletSeqLen(BUILT_IN_COUPLETS)).toBeLessThanOrEqual(24);
    expect(new Set(BUILT_IN_COUPLETS.map((c) => c.first)).size).toBe(BUILT_IN_COUPLETS.length);
  });
});

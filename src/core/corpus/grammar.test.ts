import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { Grammar, type Rule } from './grammar';

const r = (lhs: string, rhs: string, weight = 1): Rule => ({ lhs, rhs: rhs.split(' '), weight });

/** Five sentences; number agreement; singular three times as likely as plural. */
const agreement = new Grammar('S', [
  r('S', 'NP.sg V.sg', 3),
  r('S', 'NP.pl V.pl', 1),
  r('NP.sg', 'the cat'),
  r('NP.sg', 'the big cat'),
  r('NP.pl', 'the cats'),
  r('V.sg', 'runs'),
  r('V.sg', 'runs fast'),
  r('V.pl', 'run'),
]);

/** Ambiguous splits: the recogniser has to try more than one boundary. */
const ambiguous = new Grammar('S', [
  r('S', 'A B'),
  r('S', 'B A'),
  r('A', 'x'),
  r('A', 'x y'),
  r('B', 'y'),
  r('B', 'y x y'),
]);

/** Every string over the alphabet with 1..maxLen symbols. */
function allStrings(alphabet: readonly string[], maxLen: number): string[][] {
  const out: string[][] = [];
  let layer: string[][] = [[]];
  for (let len = 1; len <= maxLen; len++) {
    layer = layer.flatMap((s) => alphabet.map((a) => [...s, a]));
    out.push(...layer);
  }
  return out;
}

describe('Grammar', () => {
  it('recognises exactly its language (brute force over every short string)', () => {
    const languages: [Grammar, string[]][] = [
      [
        agreement,
        [
          'the cat runs',
          'the cat runs fast',
          'the big cat runs',
          'the big cat runs fast',
          'the cats run',
        ],
      ],
      [ambiguous, ['x y', 'x y x y', 'x y y', 'x y y x y', 'y x', 'y x y', 'y x y x', 'y x y x y']],
    ];
    for (const [grammar, sentences] of languages) {
      const language = new Set(sentences);
      const wrong: string[] = [];
      let accepted = 0;
      for (const words of allStrings(grammar.terminals, 6)) {
        const inLanguage = language.has(words.join(' '));
        if (grammar.recognizes(words) !== inLanguage) wrong.push(words.join(' '));
        if (inLanguage) accepted++;
      }
      expect(wrong).toEqual([]);
      expect(accepted).toBe(language.size);
      expect(grammar.recognizes([])).toBe(false);
    }
  });

  it('knows its length bounds and exact length distribution', () => {
    expect(agreement.minLength()).toBe(3);
    expect(agreement.maxLength()).toBe(5);
    // sg (3/4): NP 2|3 words and V 1|2 words, each 1/2; pl (1/4): always 3 words.
    const d = agreement.lengthDistribution();
    expect(d.length).toBe(6);
    expect(d[3]).toBeCloseTo(3 / 16 + 4 / 16, 14);
    expect(d[4]).toBeCloseTo(6 / 16, 14);
    expect(d[5]).toBeCloseTo(3 / 16, 14);
  });

  it('computes the expected count of every word in a sentence', () => {
    const counts = agreement.expectedWordCounts();
    const expected: Record<string, number> = {
      the: 1,
      cat: 3 / 4,
      big: 3 / 8,
      runs: 3 / 4,
      fast: 3 / 8,
      cats: 1 / 4,
      run: 1 / 4,
    };
    expect([...counts.keys()].sort()).toEqual(Object.keys(expected).sort());
    for (const [w, e] of Object.entries(expected)) expect(counts.get(w)).toBeCloseTo(e, 14);
  });

  it('samples with the rule weights, deterministically per seed', () => {
    const rng = new Rng(7);
    const n = 20000;
    let plural = 0;
    let bigCatRunsFast = 0;
    for (let i = 0; i < n; i++) {
      const s = agreement.sample(rng).join(' ');
      if (s === 'the cats run') plural++;
      if (s === 'the big cat runs fast') bigCatRunsFast++;
    }
    // Binomial standard errors are about 0.003; allow four of them.
    expect(Math.abs(plural / n - 1 / 4)).toBeLessThan(0.012);
    expect(Math.abs(bigCatRunsFast / n - 3 / 16)).toBeLessThan(0.012);
    const a = new Rng(3);
    const b = new Rng(3);
    for (let i = 0; i < 50; i++) expect(ambiguous.sample(a)).toEqual(ambiguous.sample(b));
  });

  it('refuses grammars it could not sample or bound', () => {
    expect(() => new Grammar('S', [r('S', 'a S'), r('S', 'a')])).toThrow(/recursive: S -> S/);
    expect(() => new Grammar('S', [r('S', 'A B'), r('A', 'a')])).toThrow(
      /B \(in a rule for S\) has no rules/,
    );
    expect(() => new Grammar('S', [r('S', 'a', 0)])).toThrow(/weight 0/);
    expect(() => new Grammar('S', [{ lhs: 'S', rhs: [], weight: 1 }])).toThrow(/empty/);
    expect(() => new Grammar('S', [r('s', 'a')])).toThrow(/must be a nonterminal/);
    expect(() => new Grammar('T', [r('S', 'a')])).toThrow(/start symbol T/);
  });
});

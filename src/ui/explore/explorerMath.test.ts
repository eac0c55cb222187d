import { describe, expect, it } from 'vitest';
import { configurationProbability } from '../../core/forwardProcess';
import { getCorpus } from '../../core/corpus';
import type { ModelManifest } from '../../model/manifest';
import { formatNumber, texNumber } from './format';
import { explorerDraws, maskConfiguration, scopeLength } from './maskConfiguration';
import { lossBothWays, maskedPredictions } from './maskedPredictions';
import { explorerVocabulary, readSentence, trainingCorpus } from './sentenceWindow';

const corpus = getCorpus('toy-sentences');
const manifest = {
  vocab: [...corpus.vocab.tokens],
  special: { mask: 0, pad: 1, eos: 2 },
  seqLen: 16,
  training: { corpus: 'toy-sentences' },
} as unknown as ModelManifest;
const vocabOrProblem = explorerVocabulary(manifest);
if (!('vocab' in vocabOrProblem)) throw new Error(vocabOrProblem.problem);
const vocab = vocabOrProblem.vocab;

describe('the explorer sentence', () => {
  it('writes the toy window format: the words, then [EOS] to the end', () => {
    const s = readSentence('The cat sat here.', vocab, 16);
    expect(s.words).toEqual(['the', 'cat', 'sat', 'here']);
    expect(s.problem).toBeNull();
    const ids = ['the', 'cat', 'sat', 'here'].map((w) => vocab.id(w));
    expect(Array.from(s.window!)).toEqual([...ids, ...new Array(12).fill(2)]);
  });

  it('flags unknown words with suggestions and has no window then', () => {
    const s = readSentence('the cta sat here', vocab, 16);
    expect(s.window).toBeNull();
    expect(s.unknown).toHaveLength(1);
    expect(s.unknown[0].index).toBe(1);
    expect(s.unknown[0].suggestions).toContain('cat');
  });

  it('names empty, too long and special-token input', () => {
    expect(readSentence('  ', vocab, 16).problem).toMatch(/Type a sentence/);
    expect(readSentence(new Array(16).fill('cat').join(' '), vocab, 16).problem).toMatch(
      /at most 15 words, not 16/,
    );
    expect(readSentence('the [mask] sat', vocab, 16).problem).toMatch(/Special tokens/);
  });

  it('fills the whole window for a model with [MASK] alone, and says so for a shorter sentence', () => {
    const words = ['the', 'cat', 'sat', 'on', 'mat'];
    const maskOnly = {
      ...manifest,
      vocab: ['[MASK]', ...words],
      special: { mask: 0 },
      seqLen: 6,
    } as unknown as ModelManifest;
    const v = explorerVocabulary(maskOnly);
    if (!('vocab' in v)) throw new Error(v.problem);
    expect(readSentence('the cat sat on the mat', v.vocab, 6).window).toEqual(
      Int32Array.of(1, 2, 3, 4, 1, 5),
    );
    const short = readSentence('the cat sat', v.vocab, 6);
    expect(short.window).toBeNull();
    expect(short.problem).toBe(
      'This model has no [EOS] token to end a shorter sentence, so a sentence fills its whole window: type exactly 6 words, not 3.',
    );
  });

  it('names the corpus a manifest was trained on', () => {
    expect(trainingCorpus(manifest)).toBe('toy-sentences');
    expect(trainingCorpus({ ...manifest, training: { corpus: 'nope' } })).toBe('toy-sentences');
  });
});

describe('the mask configuration', () => {
  const window = readSentence('the cat sat here', vocab, 16).window!;

  it('masks exactly the positions whose draw is below t, only inside the scope', () => {
    const draws = explorerDraws(5, 16);
    for (const t of [0, 0.2, 0.5, 0.9, 1]) {
      const c = maskConfiguration(window, draws, t, 4, null, 0);
      for (let i = 0; i < 16; i++) {
        expect(c.masked[i]).toBe(i < 4 && draws[i] < t);
        expect(c.tokens[i]).toBe(c.masked[i] ? 0 : window[i]);
      }
      expect(c.k).toBe(c.masked.filter(Boolean).length);
      expect(c.handPicked).toBe(false);
    }
    // The whole window: every position may be masked, at t = 1 all are.
    expect(maskConfiguration(window, draws, 1, 16, null, 0).k).toBe(16);
  });

  it('is monotone in t for fixed draws', () => {
    const draws = explorerDraws(11, 16);
    let before = maskConfiguration(window, draws, 0, 16, null, 0).masked;
    for (let t = 0.01; t <= 1; t += 0.01) {
      const now = maskConfiguration(window, draws, Math.min(t, 1), 16, null, 0).masked;
      before.forEach((m, i) => m && expect(now[i]).toBe(true));
      before = now;
    }
  });

  it('uses a hand-picked configuration of the right length, and gives the article 0.0441', () => {
    const c = maskConfiguration(
      window,
      explorerDraws(1, 16),
      0.3,
      4,
      [false, true, false, true],
      0,
    );
    expect(c.handPicked).toBe(true);
    expect(c.k).toBe(2);
    expect(Array.from(c.tokens.slice(0, 4))).toEqual([window[0], 0, window[2], 0]);
    expect(configurationProbability(c.masked.slice(0, c.L), 0.3)).toBeCloseTo(0.0441, 12);
    // A picked configuration for another length is ignored: the draws decide.
    expect(maskConfiguration(window, explorerDraws(1, 16), 0.3, 4, [true], 0).handPicked).toBe(
      false,
    );
    expect(scopeLength('words', 4, 16)).toBe(4);
    expect(scopeLength('window', 4, 16)).toBe(16);
  });

  it('draws the same u_i from the same seed', () => {
    expect(explorerDraws(3, 16)).toEqual(explorerDraws(3, 16));
    expect(explorerDraws(3, 16)).not.toEqual(explorerDraws(4, 16));
  });
});

describe('the model read-out', () => {
  // 3 positions, vocabulary of 4; row i puts probability on tokens as given.
  const rows = [
    [0.1, 0.2, 0.3, 0.4],
    [0.8, 0.1, 0.05, 0.05],
    [0.25, 0.25, 0.4, 0.1],
  ];
  const logits = rows.flat().map(Math.log);
  const x0 = [3, 0, 2];

  it('reports p(true), −log p and the top guesses at masked positions only', () => {
    const out = maskedPredictions(logits, x0, [true, false, true], 4, 2);
    expect(out.map((m) => m.position)).toEqual([0, 2]);
    expect(out[0].p).toBeCloseTo(0.4, 12);
    expect(out[0].nll).toBeCloseTo(-Math.log(0.4), 12);
    expect(out[0].top.map((g) => g.id)).toEqual([3, 2]);
    expect(out[1].top).toEqual([
      { id: 2, p: expect.closeTo(0.4, 12) },
      { id: 0, p: expect.closeTo(0.25, 12) }, // a tie goes to the lower id
    ]);
  });

  it('gives the article loss 0.367 for p = 0.8, 0.6 at t = 0.5, L = 4', () => {
    const art = [
      [0.8, 0.2],
      [0.4, 0.6],
    ];
    const preds = maskedPredictions(art.flat().map(Math.log), [0, 1], [true, true], 2, 1);
    const loss = lossBothWays(preds, 0.5, 4);
    expect(formatNumber(loss.weighted!)).toBe('0.367');
    expect(loss.plain).toBeCloseTo(loss.weighted!, 12); // k = 2 = t·L
    expect(lossBothWays(preds, 0.25, 4).weighted).toBeCloseTo(2 * loss.weighted!, 12);
    expect(lossBothWays([], 0, 4)).toEqual({ weighted: null, plain: null, sumNll: 0 });
  });
});

describe('number formatting', () => {
  it('prints three significant digits like the article', () => {
    expect(formatNumber(0.3 * 0.3 * 0.7 * 0.7)).toBe('0.0441');
    expect(formatNumber(0.3 * 4)).toBe('1.2');
    expect(formatNumber(0.366985)).toBe('0.367');
    expect(formatNumber(0.3 ** 16)).toBe('4.3e-9');
    expect(texNumber(0.3 ** 16)).toBe('4.3\\times 10^{-9}');
    expect(formatNumber(NaN)).toBe('—');
    expect(formatNumber(0)).toBe('0');
  });
});

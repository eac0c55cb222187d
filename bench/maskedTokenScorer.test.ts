import { describe, expect, it } from 'vitest';
import { MaskedTokenScorer } from './maskedTokenScorer';
import { smoothedUnigram, unigramLogits } from './unigramBaseline';

describe('MaskedTokenScorer', () => {
  // V = 3, L = 2, one row, both positions masked, t = 0.5.
  // Position 0: logits [0, ln 2, 0], target 1 → p = 2/4, nll = ln 2, argmax 1 (right).
  // Position 1: logits [0, 0, ln 3], target 0 → p = 1/5, nll = ln 5, argmax 2 (wrong).
  const logits = [0, Math.log(2), 0, 0, 0, Math.log(3)];

  it('scores one batch by hand: accuracy 1/2, elbo (ln 2 + ln 5)/(t·L), plain mean of the two', () => {
    const s = new MaskedTokenScorer(3, 2);
    s.add(logits, [1, 0], [1, 1], [0.5], 1);
    const r = s.result();
    expect(r.rows).toBe(1);
    expect(r.maskedTokens).toBe(2);
    expect(r.accuracy).toBe(0.5);
    expect(r.elboLoss).toBeCloseTo(Math.log(10) / (0.5 * 2), 12);
    expect(r.meanLoss).toBeCloseTo(Math.log(10) / 2, 12);
  });

  it('averages the elbo over rows and the plain loss over masked positions across batches', () => {
    const s = new MaskedTokenScorer(3, 2);
    s.add(logits, [1, 0], [1, 1], [0.5], 1);
    // A second row with only position 0 masked, t = 0.25, target 2: p = 1/4, argmax 1 (wrong).
    s.add(logits, [2, 0], [1, 0], [0.25], 1);
    const r = s.result();
    expect(r.rows).toBe(2);
    expect(r.maskedTokens).toBe(3);
    expect(r.correct).toBe(1);
    expect(r.accuracy).toBeCloseTo(1 / 3, 12);
    const elboRow1 = Math.log(10) / (0.5 * 2);
    const elboRow2 = Math.log(4) / (0.25 * 2);
    expect(r.elboLoss).toBeCloseTo((elboRow1 + elboRow2) / 2, 12);
    expect(r.meanLoss).toBeCloseTo((Math.log(2) + Math.log(5) + Math.log(4)) / 3, 12);
  });

  it('counts a row with nothing masked in the elbo mean (its loss is 0) but not in the plain mean', () => {
    const s = new MaskedTokenScorer(3, 2);
    s.add([...logits, ...logits], [1, 0, 1, 0], [1, 1, 0, 0], [0.5, 0.5], 2);
    const r = s.result();
    expect(r.rows).toBe(2);
    expect(r.elboLoss).toBeCloseTo(Math.log(10) / 2, 12);
    expect(r.meanLoss).toBeCloseTo(Math.log(10) / 2, 12);
  });

  it('refuses mismatched shapes', () => {
    const s = new MaskedTokenScorer(3, 2);
    expect(() => s.add(logits, [1], [1, 1], [0.5], 1)).toThrow(/rows/);
  });
});

describe('unigram baseline', () => {
  it('adds the pseudo-count to tokens that can occur and leaves the others at 0', () => {
    // 8 positions: shares 1/2, 1/4, 1/4, 0 → counts 4, 2, 2, 0; + 0.5 each → 4.5, 2.5, 2.5,
    // 0.5 of 10. Ids 0 and 1 cannot occur.
    const p = smoothedUnigram([0, 0, 0.5, 0.25, 0.25, 0], 8, (id) => id >= 2);
    expect(Array.from(p)).toEqual([0, 0, 0.45, 0.25, 0.25, 0.05]);
  });

  it('scores like its argmax and its cross-entropy', () => {
    const p = [0, 0.5, 0.3, 0.2];
    const s = new MaskedTokenScorer(4, 2);
    // Targets 1 and 3, both masked, t = 1: argmax is token 1 → one of two right.
    s.add(unigramLogits(p, 2), [1, 3], [1, 1], [1], 1);
    const r = s.result();
    expect(r.accuracy).toBe(0.5);
    expect(r.meanLoss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.2)) / 2, 12);
    expect(r.elboLoss).toBeCloseTo(-(Math.log(0.5) + Math.log(0.2)) / 2, 12);
  });

  it('gives the uniform distribution a loss of ln V', () => {
    const V = 5;
    const s = new MaskedTokenScorer(V, 3);
    s.add(unigramLogits(new Array(V).fill(1 / V), 3), [0, 2, 4], [1, 1, 1], [0.5], 1);
    expect(s.result().meanLoss).toBeCloseTo(Math.log(V), 12);
  });

  it('refuses an empty distribution', () => {
    expect(() => smoothedUnigram([1], 4, () => false)).toThrow(/empty/);
  });
});

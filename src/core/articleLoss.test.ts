import { describe, expect, it } from 'vitest';
import {
  logSoftmaxRow,
  maskedLossFromLogits,
  meanLossFromProbs,
  nllFromLogits,
  weightedLossFromProbs,
} from './articleLoss';
import { maskedLossWeights } from './lossWeights';

describe("the article's loss", () => {
  it('reproduces the worked example: p = 0.8, 0.6 at t = 0.5, L = 4 gives 0.367', () => {
    const loss = weightedLossFromProbs([0.8, 0.6], 0.5, 4);
    expect(Math.abs(loss - 0.3669)).toBeLessThan(1e-3);
    expect(loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 15);
    // Two masked and t·L = 2: the plain mean is the same number here.
    expect(meanLossFromProbs([0.8, 0.6])).toBeCloseTo(loss, 15);
  });

  it('tells the two weightings apart when the masked count is not t·L', () => {
    const probs = [0.8, 0.6, 0.5];
    const sumLog = Math.log(0.8) + Math.log(0.6) + Math.log(0.5); // −1.42712
    expect(weightedLossFromProbs(probs, 0.5, 4)).toBeCloseTo(-sumLog / 2, 15); // 0.7136
    expect(meanLossFromProbs(probs)).toBeCloseTo(-sumLog / 3, 15); // 0.4757
    expect(weightedLossFromProbs(probs, 0.5, 4)).toBeGreaterThan(meanLossFromProbs(probs) + 0.2);
  });

  it('is 0 with nothing masked and refuses t = 0', () => {
    expect(weightedLossFromProbs([], 0.5, 4)).toBe(0);
    expect(meanLossFromProbs([])).toBe(0);
    expect(() => weightedLossFromProbs([0.5], 0, 4)).toThrow(/t must be > 0/);
  });

  it('agrees with the batch weights of lossWeights.ts for one row', () => {
    const probs = [0.9, 0.8, 0.6, 0.7]; // true-token probability at each of 4 positions
    const masked = [0, 1, 1, 0];
    const atMasked = probs.filter((_, i) => masked[i]);
    for (const [weighting, expected] of [
      ['elbo', weightedLossFromProbs(atMasked, 0.5, 4)],
      ['mean', meanLossFromProbs(atMasked)],
    ] as const) {
      const w = maskedLossWeights(masked, 1, 4, [0.5], weighting);
      const viaWeights = probs.reduce((acc, p, i) => acc + w[i] * -Math.log(p), 0);
      expect(viaWeights).toBeCloseTo(expected, 15);
    }
  });
});

describe('log-softmax and cross-entropy', () => {
  it('matches hand values', () => {
    const row = logSoftmaxRow([0, Math.log(3)]); // softmax = [1/4, 3/4]
    expect(row[0]).toBeCloseTo(Math.log(0.25), 15);
    expect(row[1]).toBeCloseTo(Math.log(0.75), 15);
    expect(nllFromLogits([Math.log(0.8), Math.log(0.2)], 0)).toBeCloseTo(-Math.log(0.8), 15);
    // Adding a constant to every logit changes nothing.
    expect(nllFromLogits([7 + Math.log(0.8), 7 + Math.log(0.2)], 1)).toBeCloseTo(
      -Math.log(0.2),
      14,
    );
  });

  it('stays finite for huge logits', () => {
    const row = logSoftmaxRow([1000, 1000, -1000]);
    expect(row[0]).toBeCloseTo(-Math.log(2), 15);
    expect(row[2]).toBeCloseTo(-2000 - Math.log(2), 10);
    expect(nllFromLogits([1e4, 0], 0)).toBe(0);
    expect(nllFromLogits([0, 1e4], 0)).toBe(1e4);
  });

  it('reads a row at an offset and checks its bounds', () => {
    const flat = [5, 5, Math.log(0.6), Math.log(0.4)];
    expect(nllFromLogits(flat, 0, 2, 2)).toBeCloseTo(-Math.log(0.6), 15);
    expect(() => nllFromLogits(flat, 2, 2, 2)).toThrow(/target 2/);
    expect(() => nllFromLogits(flat, 0, 3, 2)).toThrow(/outside 4 logits/);
  });
});

describe('maskedLossFromLogits', () => {
  // Logits whose softmax gives the true token the wanted probability (vocab of 3).
  const rowFor = (target: number, p: number) =>
    [0, 1, 2].map((v) => Math.log(v === target ? p : (1 - p) / 2));

  it('gives the worked example from logits', () => {
    const targets = [0, 1, 2, 0]; // four positions over a 3-token vocabulary
    const probs = [0.9, 0.8, 0.6, 0.7];
    const logits = targets.flatMap((y, i) => rowFor(y, probs[i]));
    const loss = maskedLossFromLogits({
      logits,
      targets,
      masked: [false, true, true, false],
      batch: 1,
      length: 4,
      vocabSize: 3,
      t: [0.5],
      weighting: 'elbo',
    });
    expect(loss).toBeCloseTo(-(Math.log(0.8) + Math.log(0.6)) / 2, 14);
  });

  it('averages the elbo over rows and pools the mean over masked positions', () => {
    // Row 0: one masked, p = 0.5, t = 0.25 → −ln 0.5 / 1. Row 1: two masked, 0.8 and 0.4,
    // t = 0.5 → −(ln 0.8 + ln 0.4) / 2.
    const targets = [0, 1, 2, 0, 1, 2];
    const probs = [0.5, 0.9, 0.9, 0.8, 0.4, 0.9];
    const masked = [1, 0, 0, 1, 1, 0];
    const logits = targets.flatMap((y, i) => rowFor(y, probs[i]));
    const common = { logits, targets, masked, batch: 2, length: 3, vocabSize: 3, t: [0.25, 0.5] };
    const row0 = -Math.log(0.5) / (0.25 * 3);
    const row1 = -(Math.log(0.8) + Math.log(0.4)) / (0.5 * 3);
    expect(maskedLossFromLogits({ ...common, weighting: 'elbo' })).toBeCloseTo(
      (row0 + row1) / 2,
      14,
    );
    expect(maskedLossFromLogits({ ...common, weighting: 'mean' })).toBeCloseTo(
      -(Math.log(0.5) + Math.log(0.8) + Math.log(0.4)) / 3,
      14,
    );
  });

  it('refuses mismatched shapes', () => {
    expect(() =>
      maskedLossFromLogits({
        logits: [0, 0, 0],
        targets: [0, 0],
        masked: [1, 1],
        batch: 1,
        length: 2,
        vocabSize: 3,
        t: [0.5],
        weighting: 'mean',
      }),
    ).toThrow(/shape mismatch/);
  });
});

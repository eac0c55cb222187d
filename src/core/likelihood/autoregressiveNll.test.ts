import { describe, expect, it } from 'vitest';
import type { Denoiser } from '../denoiser';
import { autoregressiveNll, nllFromCausalLogits } from './autoregressiveNll';
import { logitsOf } from './likelihood.testutil';
import { conditionalOnFirstToken } from './scoredSpan';

/**
 * A causal bigram model over {0 = [MASK], 1, 2, 3}: the logits at position i are log P(· | x_i),
 * the prediction of token i + 1.
 */
const BIGRAM: Record<number, number[]> = {
  1: [0, 0.25, 0.5, 0.25],
  2: [0, 0.125, 0.125, 0.75],
  3: [0, 0.5, 0.25, 0.25],
};

function bigramModel(seqLen: number): Denoiser & { calls: number } {
  const model = {
    vocabSize: 4,
    seqLen,
    maskId: 0,
    calls: 0,
    async logits(tokens: Int32Array, batch: number) {
      model.calls++;
      const out = new Float32Array(batch * seqLen * 4);
      tokens.forEach((x, j) => out.set(logitsOf(BIGRAM[x] ?? [0.25, 0.25, 0.25, 0.25]), j * 4));
      return out;
    },
  };
  return model;
}

describe('autoregressive NLL', () => {
  it('sums −log p(x_{i+1} | x_i) over the tokens after the first, in one call', async () => {
    const model = bigramModel(4);
    const window = Int32Array.of(1, 2, 3, 1);
    const nll = await autoregressiveNll(model, window, conditionalOnFirstToken(4));
    // p(2|1) = 1/2, p(3|2) = 3/4, p(1|3) = 1/2.
    expect(nll.perToken.map((x) => x)).toEqual([
      expect.closeTo(Math.log(2), 6),
      expect.closeTo(Math.log(4 / 3), 6),
      expect.closeTo(Math.log(2), 6),
    ]);
    expect(nll.total).toBeCloseTo(2 * Math.log(2) + Math.log(4 / 3), 6);
    expect(model.calls).toBe(1);
  });

  it('scores only the span asked for', () => {
    const window = [1, 2, 3, 1];
    const logits = window.flatMap((x) => logitsOf(BIGRAM[x]));
    const nll = nllFromCausalLogits(logits, window, 4, { from: 2, to: 3 });
    expect(nll.perToken).toHaveLength(1);
    expect(nll.total).toBeCloseTo(Math.log(4 / 3), 6);
  });

  it('refuses to score the first token (no start token predicts it)', () => {
    const logits = [1, 2].flatMap((x) => logitsOf(BIGRAM[x]));
    expect(() => nllFromCausalLogits(logits, [1, 2], 4, { from: 0, to: 2 })).toThrow(/first token/);
  });
});

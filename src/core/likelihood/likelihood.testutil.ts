/**
 * Fake models with known probabilities for the likelihood tests (not used by the app).
 */
import type { Denoiser } from '../denoiser';

/** Logits of one row whose softmax is `probs` (log-probabilities are valid logits). */
export function logitsOf(probs: readonly number[]): number[] {
  return probs.map((p) => (p > 0 ? Math.log(p) : -1e30));
}

/**
 * A denoiser over vocabulary {0 = [MASK], 1, 2} for 3-token windows (x₀, x₁, x₂) that knows the
 * exact joint p(x₁, x₂) (x₀ is ignored): at a masked position it answers the conditional given
 * the other position when that one is visible, else the marginal. Counts calls and rows.
 */
export function perfectDenoiser(
  joint: number[][],
): Denoiser & { calls: number; rows: number; times: number[] } {
  const marginal1 = [0, joint[1][1] + joint[1][2], joint[2][1] + joint[2][2]];
  const marginal2 = [0, joint[1][1] + joint[2][1], joint[1][2] + joint[2][2]];
  const model = {
    vocabSize: 3,
    seqLen: 3,
    maskId: 0,
    calls: 0,
    rows: 0,
    times: [] as number[],
    async logits(tokens: Int32Array, batch: number, t?: Float32Array) {
      model.calls++;
      model.rows += batch;
      if (t) model.times.push(...t);
      const out = new Float32Array(batch * 3 * 3);
      for (let b = 0; b < batch; b++) {
        const [, x1, x2] = tokens.subarray(b * 3, b * 3 + 3);
        const p1 =
          x2 === 0 ? marginal1 : [0, joint[1][x2] / marginal2[x2], joint[2][x2] / marginal2[x2]];
        const p2 =
          x1 === 0 ? marginal2 : [0, joint[x1][1] / marginal1[x1], joint[x1][2] / marginal1[x1]];
        out.set(logitsOf([1 / 3, 1 / 3, 1 / 3]), (b * 3 + 0) * 3);
        out.set(logitsOf(p1), (b * 3 + 1) * 3);
        out.set(logitsOf(p2), (b * 3 + 2) * 3);
      }
      return out;
    },
  };
  return model;
}

/**
 * A denoiser that gives the window's own token at position i the probability probs[i] whatever
 * it is shown (a fully factorised model), spreading the rest over the other tokens.
 */
export function factorisedDenoiser(
  window: readonly number[],
  probs: readonly number[],
  vocabSize = 4,
): Denoiser {
  const L = window.length;
  return {
    vocabSize,
    seqLen: L,
    maskId: 0,
    async logits(_tokens: Int32Array, batch: number) {
      const out = new Float32Array(batch * L * vocabSize);
      for (let b = 0; b < batch; b++) {
        for (let i = 0; i < L; i++) {
          const row = Array.from({ length: vocabSize }, (_, v) =>
            v === window[i] ? probs[i] : (1 - probs[i]) / (vocabSize - 1),
          );
          out.set(logitsOf(row), (b * L + i) * vocabSize);
        }
      }
      return out;
    },
  };
}

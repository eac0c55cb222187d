import type { Rng } from './rng';

/**
 * The article's forward process: at masking ratio t every token is replaced by [MASK]
 * independently with probability t,
 *   q(x_t^i | x_0^i) = (1 − t)·1[x_t^i = x_0^i] + t·1[x_t^i = MASK].
 * The draws are kept separate from the threshold so the explorer can hold one set of draws
 * and move t: token i is masked exactly when draws[i] < t, so raising t only ever adds masks.
 */

export interface MaskedSequence {
  /** x_t: x0 with the masked positions replaced by the mask id. */
  tokens: Int32Array;
  masked: boolean[];
}

function checkRatio(t: number): void {
  if (!(t >= 0 && t <= 1)) throw new RangeError(`masking ratio t must be in [0, 1], got ${t}`);
}

export function maskWithDraws(
  x0: ArrayLike<number>,
  draws: ArrayLike<number>,
  t: number,
  maskId: number,
): MaskedSequence {
  checkRatio(t);
  if (draws.length !== x0.length) {
    throw new Error(`need one draw per token: ${draws.length} draws for ${x0.length} tokens`);
  }
  const tokens = Int32Array.from(x0);
  const masked = new Array<boolean>(x0.length);
  for (let i = 0; i < x0.length; i++) {
    masked[i] = draws[i] < t;
    if (masked[i]) tokens[i] = maskId;
  }
  return { tokens, masked };
}

/** One uniform draw in [0, 1) per position. */
export function sampleDraws(rng: Rng, length: number): Float64Array {
  const draws = new Float64Array(length);
  for (let i = 0; i < length; i++) draws[i] = rng.uniform();
  return draws;
}

/** A fresh sample of x_t ~ q(· | x0) at ratio t. */
export function sampleMask(
  x0: ArrayLike<number>,
  t: number,
  rng: Rng,
  maskId: number,
): MaskedSequence {
  return maskWithDraws(x0, sampleDraws(rng, x0.length), t, maskId);
}

/** Probability of one exact masking pattern: t^k (1 − t)^(L − k), k = number masked. */
export function configurationProbability(masked: readonly boolean[], t: number): number {
  checkRatio(t);
  const k = masked.filter(Boolean).length;
  return t ** k * (1 - t) ** (masked.length - k);
}

/** Mean number of masked tokens at ratio t: t·L (the article's normaliser). */
export function expectedMaskedCount(t: number, length: number): number {
  checkRatio(t);
  return t * length;
}

/** log C(n, k), exact enough for any window length the app uses (sum of logs, no factorials). */
function logBinomialCoefficient(n: number, k: number): number {
  let s = 0;
  const m = Math.min(k, n - k);
  for (let i = 1; i <= m; i++) s += Math.log(n - m + i) - Math.log(i);
  return s;
}

/** P(exactly k of L tokens masked) = C(L, k) t^k (1 − t)^(L − k). */
export function binomialPmf(k: number, length: number, t: number): number {
  checkRatio(t);
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`bad length ${length}`);
  if (!Number.isInteger(k) || k < 0 || k > length) return 0;
  // The endpoints are exact without logs (and log(0) would poison the sum).
  if (t === 0) return k === 0 ? 1 : 0;
  if (t === 1) return k === length ? 1 : 0;
  return Math.exp(
    logBinomialCoefficient(length, k) + k * Math.log(t) + (length - k) * Math.log1p(-t),
  );
}

/** The whole distribution of the masked count: entry k = binomialPmf(k, L, t), k = 0..L. */
export function binomialDistribution(length: number, t: number): number[] {
  return Array.from({ length: length + 1 }, (_, k) => binomialPmf(k, length, t));
}

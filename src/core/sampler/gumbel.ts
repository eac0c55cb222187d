/**
 * Gumbel-max sampling in float64: argmax_v(logits_v / τ + g_v), g = −log(−log u), u ~ U(0, 1),
 * draws one categorical sample from softmax(logits / τ). This is LLaDA's add_gumbel_noise
 * written in log space (exp(l) / (−log u)^τ has the same argmax). τ = 0 means greedy: plain
 * argmax, and no random numbers are drawn.
 */
import type { Rng } from '../rng';
import { argmax } from './softmax';

export function gumbelNoise(rng: Rng): number {
  let u = rng.uniform();
  while (u === 0) u = rng.uniform(); // −log(−log 0) would be −∞; redraw (probability 2^−53)
  return -Math.log(-Math.log(u));
}

/**
 * Sample one token from a row of (already filtered) logits. Draws exactly row.length uniforms
 * when temperature > 0, so the random stream stays aligned however the logits look.
 */
export function gumbelMaxSample(row: ArrayLike<number>, temperature: number, rng: Rng): number {
  if (!(temperature >= 0)) throw new Error(`temperature must be ≥ 0, got ${temperature}`);
  if (temperature === 0) return argmax(row);
  let best = -1;
  let bestScore = -Infinity;
  for (let v = 0; v < row.length; v++) {
    const score = row[v] / temperature + gumbelNoise(rng);
    if (score > bestScore || best < 0) {
      best = v;
      bestScore = score;
    }
  }
  return best;
}

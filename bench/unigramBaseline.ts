/**
 * The baseline a denoiser has to beat: fill every masked position from the corpus's unigram
 * distribution, ignoring context. Its accuracy is that of always guessing the most frequent
 * token; its loss is the cross-entropy of the unigram distribution on the masked tokens.
 */

/**
 * Turns token shares measured over `positions` window positions into probabilities, adding a
 * pseudo-count to every token that can occur in a window, so a rare word missing from the
 * measuring sample costs a large but finite loss instead of an infinite one. Tokens that
 * cannot occur (e.g. [MASK], [PAD]) keep probability 0.
 */
export function smoothedUnigram(
  shares: ArrayLike<number>,
  positions: number,
  canOccur: (id: number) => boolean,
  pseudoCount = 0.5,
): Float64Array {
  if (!(positions > 0)) throw new RangeError(`positions must be positive, got ${positions}`);
  if (!(pseudoCount >= 0)) throw new RangeError(`pseudo-count must be ≥ 0, got ${pseudoCount}`);
  const p = new Float64Array(shares.length);
  let total = 0;
  for (let id = 0; id < shares.length; id++) {
    if (!canOccur(id)) continue;
    p[id] = shares[id] * positions + pseudoCount;
    total += p[id];
  }
  if (!(total > 0)) throw new Error('no token can occur: the unigram distribution is empty');
  for (let id = 0; id < p.length; id++) p[id] /= total;
  return p;
}

/**
 * The baseline as logits: log p for every one of `positions` positions, [positions·V], so it
 * goes through the same scorer as the model's output.
 */
export function unigramLogits(probs: ArrayLike<number>, positions: number): Float64Array {
  const V = probs.length;
  const row = Float64Array.from(probs, (p) => Math.log(p));
  const out = new Float64Array(positions * V);
  for (let j = 0; j < positions; j++) out.set(row, j * V);
  return out;
}

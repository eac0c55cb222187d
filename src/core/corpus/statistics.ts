import { Rng } from '../rng';
import type { Corpus } from './corpus';

/**
 * Token frequencies over n sampled windows ([EOS] padding included, as the model sees it):
 * entry i is the share of all window positions that hold token i. The baseline a model has to
 * beat is sampling each position from this distribution.
 */
export function unigramDistribution(corpus: Corpus, n: number, seed: number): Float64Array {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`n must be a positive integer, got ${n}`);
  const windows = corpus.sampleBatch(new Rng(seed), n);
  const freq = new Float64Array(corpus.vocab.size);
  for (const id of windows) freq[id] += 1;
  for (let i = 0; i < freq.length; i++) freq[i] /= windows.length;
  return freq;
}

/** Share of n sampled sentences with each length: index = number of words. */
export function sentenceLengthDistribution(corpus: Corpus, n: number, seed: number): Float64Array {
  if (!Number.isInteger(n) || n <= 0) throw new Error(`n must be a positive integer, got ${n}`);
  const rng = new Rng(seed);
  const counts = new Float64Array(corpus.seqLen);
  for (let k = 0; k < n; k++) counts[corpus.sample(rng).length] += 1;
  for (let i = 0; i < counts.length; i++) counts[i] /= n;
  return counts;
}

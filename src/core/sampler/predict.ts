/**
 * One pass over the logits of a model call: for every position the model's prediction (argmax,
 * or a Gumbel-max sample), its confidence under the strategy's rule, and the top candidates the
 * trace shows. Pure apart from the random numbers it draws from `rng`.
 */
import type { Rng } from '../rng';
import {
  negativeEntropy,
  negativeEntropyBits,
  topTwoMargin,
  type ConfidenceRule,
} from './confidence';
import { gumbelMaxSample } from './gumbel';
import type { ResolvedSamplerOptions } from './options';
import { softmaxRow, type Logits } from './softmax';
import { filterTopK, filterTopP } from './topKTopP';

/**
 * Which distribution a 'probability' confidence reads: 'model' = softmax of the (edited) logits
 * at temperature 1, as LLaDA and Fast-dLLM do even when sampling; 'sampling' = the tempered and
 * top-k/top-p filtered distribution the token was drawn from, as Dream and the article do.
 * With temperature 0 and no filters the two are the same.
 */
export type ConfidenceSource = 'model' | 'sampling';

export interface TopCandidate {
  token: number;
  prob: number;
}

export interface Predictions {
  prediction: Int32Array;
  confidence: Float64Array;
  /** Most probable tokens under the model's own softmax (raw logits), best first. */
  topK: TopCandidate[][];
}

/** The k most probable tokens of a probability row, best first, lower id first on ties. */
export function topCandidates(probs: Float64Array, k: number): TopCandidate[] {
  const best: TopCandidate[] = [];
  if (k <= 0) return best;
  for (let v = 0; v < probs.length; v++) {
    const p = probs[v];
    if (best.length === k && !(p > best[k - 1].prob)) continue;
    let at = best.length;
    while (at > 0 && p > best[at - 1].prob) at--;
    best.splice(at, 0, { token: v, prob: p });
    if (best.length > k) best.pop();
  }
  return best;
}

export function predictPositions(
  logits: Logits,
  length: number,
  vocab: number,
  maskId: number,
  options: ResolvedSamplerOptions,
  rule: ConfidenceRule,
  source: ConfidenceSource,
  rng: Rng,
): Predictions {
  const prediction = new Int32Array(length);
  const confidence = new Float64Array(length);
  const topK: TopCandidate[][] = [];
  const edited = new Float64Array(vocab);
  const scaledCopy = new Float64Array(vocab);
  const rawProbs = new Float64Array(vocab);
  const modelProbs = new Float64Array(vocab);
  const samplingProbs = new Float64Array(vocab);
  const tau = options.temperature;
  const eosEdit = options.logitsEosInf && options.eosId !== null;
  const maskEdit = options.maskToken === 'suppress';
  // x / 1 is x exactly, so at τ ∈ {0, 1} without filters the tempered row is the edited row and
  // the softmaxes below that would read equal rows are computed once (same values, bit for bit).
  const scaledIsEdited = (tau === 0 || tau === 1) && options.topP === null && options.topK === null;
  const needsSampling =
    rule === 'margin' ||
    rule === 'negEntropy' ||
    rule === 'negEntropyBits' ||
    (rule === 'probability' && source === 'sampling');
  const needsModel = rule === 'probability' && source === 'model';
  for (let i = 0; i < length; i++) {
    const offset = i * vocab;
    for (let v = 0; v < vocab; v++) edited[v] = logits[offset + v];
    const rowEdited =
      (eosEdit && edited[options.eosId!] !== -Infinity) ||
      (maskEdit && edited[maskId] !== -Infinity);
    if (eosEdit) edited[options.eosId!] = -Infinity;
    if (maskEdit) edited[maskId] = -Infinity;
    let scaled = edited;
    if (!scaledIsEdited) {
      scaled = scaledCopy;
      for (let v = 0; v < vocab; v++) scaled[v] = tau > 0 ? edited[v] / tau : edited[v];
      if (options.topP !== null) filterTopP(scaled, options.topP);
      if (options.topK !== null) filterTopK(scaled, options.topK);
    }
    // scaled already carries 1/τ, so sample it at temperature 1 (or take its argmax when greedy).
    const token = gumbelMaxSample(scaled, tau > 0 ? 1 : 0, rng);
    prediction[i] = token;

    // softmax(edited), computed at most once per row and shared by the readers that need it.
    let editedProbs: Float64Array | null = null;
    let c: number;
    if (needsSampling) {
      const probs = scaledIsEdited
        ? (editedProbs = softmaxRow(edited, 0, vocab, modelProbs))
        : softmaxRow(scaled, 0, vocab, samplingProbs);
      if (rule === 'margin') c = topTwoMargin(probs);
      else if (rule === 'negEntropy') c = negativeEntropy(probs);
      else if (rule === 'negEntropyBits') c = negativeEntropyBits(probs);
      else c = probs[token];
    } else if (needsModel) {
      editedProbs = softmaxRow(edited, 0, vocab, modelProbs);
      c = editedProbs[token];
    } else c = 0; // 'random' is drawn below, after every prediction
    if (options.confidenceEosEotInf && (token === options.eosId || token === options.eotId)) {
      c = -Infinity;
    }
    confidence[i] = c;

    if (options.traceTopK > 0) {
      // The trace's candidates read the model's own logits, before any edit.
      const probs = rowEdited
        ? softmaxRow(logits, offset, vocab, rawProbs)
        : (editedProbs ?? softmaxRow(edited, 0, vocab, modelProbs));
      topK.push(topCandidates(probs, options.traceTopK));
    } else topK.push([]);
  }
  if (rule === 'random') {
    // LLaDA's random remasking: x0_p = torch.rand over every position.
    for (let i = 0; i < length; i++) {
      const eos =
        options.confidenceEosEotInf &&
        (prediction[i] === options.eosId || prediction[i] === options.eotId);
      const u = rng.uniform();
      confidence[i] = eos ? -Infinity : u;
    }
  }
  return { prediction, confidence, topK };
}

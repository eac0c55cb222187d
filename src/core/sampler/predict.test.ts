import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { negativeEntropy, topTwoMargin, type ConfidenceRule } from './confidence';
import { gumbelMaxSample } from './gumbel';
import { resolveOptions, type SamplerOptions } from './options';
import { predictPositions, topCandidates, type ConfidenceSource } from './predict';
import { softmaxRow } from './softmax';
import { filterTopK, filterTopP } from './topKTopP';

/**
 * The plain reading of a row, every distribution computed from its own copy: what
 * predictPositions must equal bit for bit, whichever softmaxes it shares between readers.
 */
function plainPredictions(
  logits: Float32Array,
  length: number,
  vocab: number,
  maskId: number,
  options: SamplerOptions,
  rule: ConfidenceRule,
  source: ConfidenceSource,
  rng: Rng,
) {
  const o = resolveOptions(options);
  const prediction: number[] = [];
  const confidence: number[] = [];
  const topK: { token: number; prob: number }[][] = [];
  for (let i = 0; i < length; i++) {
    const raw = Float64Array.from(logits.subarray(i * vocab, (i + 1) * vocab));
    const edited = raw.slice();
    if (o.logitsEosInf && o.eosId !== null) edited[o.eosId] = -Infinity;
    if (o.maskToken === 'suppress') edited[maskId] = -Infinity;
    const scaled = edited.map((x) => (o.temperature > 0 ? x / o.temperature : x));
    if (o.topP !== null) filterTopP(scaled, o.topP);
    if (o.topK !== null) filterTopK(scaled, o.topK);
    const token = gumbelMaxSample(scaled, o.temperature > 0 ? 1 : 0, rng);
    const sampling = softmaxRow(scaled, 0, vocab, new Float64Array(vocab));
    const model = softmaxRow(edited, 0, vocab, new Float64Array(vocab));
    let c =
      rule === 'margin'
        ? topTwoMargin(sampling)
        : rule === 'negEntropy'
          ? negativeEntropy(sampling)
          : rule === 'probability'
            ? (source === 'sampling' ? sampling : model)[token]
            : 0;
    if (o.confidenceEosEotInf && (token === o.eosId || token === o.eotId)) c = -Infinity;
    prediction.push(token);
    confidence.push(c);
    topK.push(topCandidates(softmaxRow(raw, 0, vocab, new Float64Array(vocab)), o.traceTopK));
  }
  if (rule === 'random') {
    for (let i = 0; i < length; i++) {
      const eos = o.confidenceEosEotInf && (prediction[i] === o.eosId || prediction[i] === o.eotId);
      const u = rng.uniform();
      confidence[i] = eos ? -Infinity : u;
    }
  }
  return { prediction, confidence, topK };
}

describe('predictPositions', () => {
  const length = 6;
  const vocab = 11;
  const maskId = 10;
  const eosId = 2;
  const logits = new Float32Array(length * vocab);
  const draw = new Rng(99);
  for (let i = 0; i < logits.length; i++) logits[i] = 4 * (draw.uniform() - 0.5);
  // The mask id is the model's favourite at row 0 and the EOS id at row 1, so the edits matter.
  logits[maskId] = 6;
  logits[vocab + eosId] = 6;

  const cases: {
    rule: ConfidenceRule;
    source: ConfidenceSource;
    options: Partial<SamplerOptions>;
  }[] = [];
  for (const temperature of [0, 0.7, 1, 1.5])
    for (const filters of [{}, { topK: 3 }, { topP: 0.8 }])
      for (const edits of [
        { maskToken: 'allow' as const },
        { maskToken: 'suppress' as const },
        { maskToken: 'suppress' as const, logitsEosInf: true, confidenceEosEotInf: true },
      ])
        for (const [rule, source] of [
          ['probability', 'model'],
          ['probability', 'sampling'],
          ['margin', 'sampling'],
          ['negEntropy', 'sampling'],
          ['random', 'model'],
        ] as const)
          cases.push({ rule, source, options: { temperature, ...filters, ...edits } });

  it.each(cases)(
    'equals the plain computation: $rule/$source $options',
    ({ rule, source, options }) => {
      const full: SamplerOptions = {
        strategy: 'llada.low_confidence',
        steps: length,
        traceTopK: 4,
        eosId,
        ...options,
      };
      const got = predictPositions(
        logits,
        length,
        vocab,
        maskId,
        resolveOptions(full),
        rule,
        source,
        new Rng(5),
      );
      const want = plainPredictions(logits, length, vocab, maskId, full, rule, source, new Rng(5));
      expect(Array.from(got.prediction)).toEqual(want.prediction);
      expect(Array.from(got.confidence)).toEqual(want.confidence);
      expect(got.topK).toEqual(want.topK);
    },
  );

  it('keeps the trace candidates on the raw logits when the mask id is suppressed', () => {
    const got = predictPositions(
      logits,
      length,
      vocab,
      maskId,
      resolveOptions({ strategy: 'llada.low_confidence', steps: length, maskToken: 'suppress' }),
      'probability',
      'model',
      new Rng(1),
    );
    expect(got.topK[0][0].token).toBe(maskId);
    expect(got.prediction[0]).not.toBe(maskId);
  });
});

import type { Corpus } from '../corpus/corpus';
import type { Denoiser } from '../denoiser';
import { runSamplerToEnd } from '../sampler';
import type { SamplerOptions } from '../sampler';

export interface SampleValidity {
  /** Grammatical samples / samples, by the corpus's exact oracle. */
  fraction: number;
  valid: number;
  samples: number;
  /** The first samples as text, each marked valid or not, for reports. */
  examples: { text: string; valid: boolean }[];
}

/**
 * How often a model writes a sentence of its corpus's language: draws `samples` whole windows
 * with the given sampler (default: the article's, as it is written — sampling at temperature 1,
 * S steps) and checks each with the grammar's exact oracle. Sample i uses seed `seed + i`.
 */
export async function measureSampleValidity(
  denoiser: Denoiser,
  corpus: Corpus,
  options: { samples: number; steps: number; seed: number; sampler?: Partial<SamplerOptions> },
): Promise<SampleValidity> {
  let valid = 0;
  const examples: SampleValidity['examples'] = [];
  for (let i = 0; i < options.samples; i++) {
    const trace = await runSamplerToEnd(
      denoiser,
      { prompt: [], genLength: denoiser.seqLen },
      {
        strategy: 'article',
        steps: options.steps,
        traceTopK: 0,
        ...options.sampler,
        seed: (options.seed + i) >>> 0,
      },
    );
    const ok = corpus.isValidWindow(trace.final);
    if (ok) valid++;
    if (examples.length < 20) examples.push({ text: corpus.vocab.decode(trace.final), valid: ok });
  }
  return {
    fraction: options.samples ? valid / options.samples : 0,
    valid,
    samples: options.samples,
    examples,
  };
}

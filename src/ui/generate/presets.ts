import type { Vocabulary } from '../../core/vocabulary';
import { DEFAULT_CONFIG, type GenerationConfig } from '../../state/generationConfig';

export interface Preset {
  id: string;
  title: string;
  description: string;
  /** The configuration, given the current one (presets keep its seed). */
  config: (current: GenerationConfig) => GenerationConfig;
  /** Whether the loaded model can run it (e.g. knows the words it pins). */
  available: (vocab: Vocabulary, seqLen: number) => boolean;
}

const base = (current: GenerationConfig): GenerationConfig => ({
  ...DEFAULT_CONFIG,
  seed: current.seed,
});

/**
 * Configurations worth seeing. The first reproduces the article's worked table: a 6-token
 * response in S = 3 steps, committing 2, 2, then 2. The toy model's window is 16, so the last
 * 10 positions are pinned to [EOS] (its window format: words, then [EOS] to the end) and the
 * article's sampler writes the first 6.
 */
export const PRESETS: Preset[] = [
  {
    id: 'article-table',
    title: "The article's table",
    description: '6 tokens, 3 steps: keep 2, 2, then 2',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'article', steps: 3, blockLength: null },
      length: 6,
    }),
    // The 10 positions after the 6 are [EOS]: a model without one writes its whole window.
    available: (v, seqLen) => seqLen >= 6 && v.endId !== null,
  },
  {
    id: 'llada-vs-dream',
    title: 'LLaDA vs Dream',
    description: 'same seed, greedy, 8 steps each',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'llada.low_confidence', steps: 8, blockLength: null },
      b: { strategy: 'dream.entropy', steps: 8, blockLength: null },
      sideBySide: true,
      temperature: 0,
    }),
    available: () => true,
  },
  {
    id: 'steps-compare',
    title: '4 steps vs 16',
    description: 'the article’s sampler with few and many steps',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'article', steps: 4, blockLength: null },
      b: { strategy: 'article', steps: 16, blockLength: null },
      sideBySide: true,
    }),
    available: () => true,
  },
  {
    id: 'blocks',
    title: 'Semi-autoregressive blocks',
    description: 'LLaDA, blocks of 4, left to right',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'llada.low_confidence', steps: 16, blockLength: 4 },
      temperature: 0,
    }),
    available: (_v, seqLen) => seqLen % 4 === 0,
  },
  {
    id: 'threshold',
    title: 'Fast-dLLM threshold',
    description: 'as many tokens per call as are sure enough',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'fastdllm.threshold', steps: 2, blockLength: null },
      temperature: 0,
      threshold: 0.5,
    }),
    available: () => true,
  },
  {
    id: 'remdm',
    title: 'ReMDM remasking',
    description: 'committed tokens can be sent back',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'remdm', steps: 24, blockLength: null },
      remaskEta: 0.3,
    }),
    available: () => true,
  },
  {
    id: 'infill',
    title: 'Infilling',
    description: 'the cat _ _ on the mat',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'llada.low_confidence', steps: 2, blockLength: null },
      temperature: 0,
      prompt: 'the cat',
      length: 5,
      pins: [
        { position: 4, word: 'on' },
        { position: 5, word: 'the' },
        { position: 6, word: 'mat' },
      ],
    }),
    available: (v, seqLen) => seqLen >= 7 && ['the', 'cat', 'on', 'mat'].every((w) => v.has(w)),
  },
];

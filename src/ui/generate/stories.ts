import type { Vocabulary } from '../../core/vocabulary';
import { configToHash, DEFAULT_CONFIG, type GenerationConfig } from '../../state/generationConfig';

/**
 * A named configuration with one sentence on what to watch: the generation view's stories. The
 * first is the default (the page opens on it); comparisons set run B and say what differs.
 */
export interface Story {
  id: string;
  title: string;
  /** What to watch, in one sentence. */
  watch: string;
  /** The configuration, given the current one (stories keep its seed). */
  config: (current: GenerationConfig) => GenerationConfig;
  /** Whether the loaded model can run it (e.g. knows the words it pins). */
  available: (vocab: Vocabulary, seqLen: number) => boolean;
}

const base = (current: GenerationConfig): GenerationConfig => ({
  ...DEFAULT_CONFIG,
  seed: current.seed,
});

export const STORIES: Story[] = [
  {
    id: 'painter',
    title: 'The painter',
    watch:
      'Words appear wherever the model is surest — the middle, the end, the start — and the [EOS] padding after the sentence is filled last.',
    config: base,
    available: () => true,
  },
  {
    id: 'eos-first',
    title: 'Why [EOS] comes first',
    watch:
      'Without ranking [EOS] last, the model is surest of the empty end of the window: the plain sampler writes [EOS] right to left, then squeezes in a short sentence. This is why LLaDA ranks [EOS] last or writes in blocks.',
    config: (c) => ({ ...base(c), eosLast: false }),
    // A model without [EOS] (its manifest names [MASK] alone) has no end to write first.
    available: (v) => v.endId !== null,
  },
  {
    id: 'blocks',
    title: 'Blocks, left to right',
    watch:
      "LLaDA's semi-autoregressive blocks: four positions at a time, left to right, in any order inside a block — the other way to keep the plain sampler from writing [EOS] first.",
    config: (c) => ({
      ...base(c),
      a: { strategy: 'llada.low_confidence', steps: 16, blockLength: 4 },
      eosLast: false,
      temperature: 0,
    }),
    available: (_v, seqLen) => seqLen % 4 === 0,
  },
  {
    id: 'article-table',
    title: "The article's table",
    watch:
      "6 tokens in 3 calls: each call keeps the 2 most confident guesses and sends the rest back to [MASK], as in the article's worked example.",
    config: (c) => ({
      ...base(c),
      a: { strategy: 'article', steps: 3, blockLength: null },
      length: 6,
    }),
    // The positions after the 6 are [EOS]: a model without one writes its whole window.
    available: (v, seqLen) => seqLen >= 6 && v.endId !== null,
  },
  {
    id: 'steps-compare',
    title: '4 calls or 16',
    watch:
      'With 4 calls each one commits 4 tokens chosen independently of each other, and neighbours clash; with 16 the sentence holds together.',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'article', steps: 4, blockLength: null },
      b: { strategy: 'article', steps: 16, blockLength: null },
      sideBySide: true,
    }),
    available: () => true,
  },
  {
    id: 'order-compare',
    title: 'Confidence or chance',
    watch:
      "The same schedule with LLaDA's two rules: commit the most confident guesses (A) or positions drawn at random (B) — a different order, a different sentence.",
    config: (c) => ({
      ...base(c),
      a: { strategy: 'llada.low_confidence', steps: 16, blockLength: null },
      b: { strategy: 'llada.random', steps: 16, blockLength: null },
      sideBySide: true,
    }),
    available: () => true,
  },
  {
    id: 'llada-vs-dream',
    title: 'LLaDA vs Dream',
    watch:
      'The same seed and 16 calls: LLaDA ranks guesses by their probability, Dream by the entropy of the whole distribution, so the two paint in different orders.',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'llada.low_confidence', steps: 16, blockLength: null },
      b: { strategy: 'dream.entropy', steps: 16, blockLength: null },
      sideBySide: true,
    }),
    available: () => true,
  },
  {
    id: 'threshold',
    title: 'Fast-dLLM threshold',
    watch:
      'Each call commits every guess that is at least 50% sure, so easy words arrive in bunches and the sentence takes fewer calls than positions.',
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
    title: 'ReMDM: taking words back',
    watch:
      'Committed words can be sent back to [MASK] (struck through) and written again: the painter painting over.',
    config: (c) => ({
      ...base(c),
      a: { strategy: 'remdm', steps: 24, blockLength: null },
      remaskEta: 0.3,
    }),
    available: () => true,
  },
  {
    id: 'llada21-edits',
    title: 'LLaDA2.1: rewriting words',
    watch:
      'LLaDA2.1 fills blocks of 8 by a confidence threshold and also rewrites tokens it already placed when the model changes its mind: a rewritten cell shows what it was and what it became.',
    // Greedy, low thresholds: on the shipped model it rewrites several tokens.
    config: (c) => ({
      ...base(c),
      a: { strategy: 'llada21.edit', steps: 16, blockLength: 8 },
      temperature: 0,
      threshold: 0.3,
      editThreshold: 0.2,
    }),
    available: (_v, seqLen) => seqLen >= 8,
  },
  {
    id: 'infill',
    title: 'Infilling',
    watch:
      'Words pinned on both sides of a gap — “the cat _ _ on the mat” — and the model writes the middle, which a left-to-right writer cannot.',
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
    available: (v, seqLen) =>
      seqLen >= 7 && v.endId !== null && ['the', 'cat', 'on', 'mat'].every((w) => v.has(w)),
  },
];

/** What decides the runs: the link's keys, without run B's when there is no run B. */
function runKeys(config: GenerationConfig): string {
  const h = configToHash(config);
  if (!config.sideBySide) {
    delete h.strategyB;
    delete h.stepsB;
    delete h.blockB;
  }
  return JSON.stringify(Object.entries(h).sort(([x], [y]) => x.localeCompare(y)));
}

/** The story whose configuration is the current one (the seed aside), if any. */
export function storyOf(config: GenerationConfig): Story | null {
  const current = runKeys(config);
  return STORIES.find((s) => runKeys(s.config(config)) === current) ?? null;
}

import type { StateCreator } from 'zustand';
import { getCorpus } from '../core/corpus';
import { Rng } from '../core/rng';
import { readHash, writeHash, type HashParams } from './urlHash';

/**
 * The masking-ratio explorer's configuration: what a link must carry to open the same picture.
 * Everything derived from it (the draws, the masked tokens, the model's answers, the loss
 * curve) is computed by the view.
 */

/** Which positions the forward process may mask: the sentence's words, or the whole window. */
export type MaskScope = 'words' | 'window';

export interface ExplorerConfig {
  /** The sentence as typed (tokenised by the view against the loaded model's vocabulary). */
  sentence: string;
  /** Masking ratio t in [0, 1]. */
  t: number;
  /** Seed of the per-position uniform draws u_i; position i is masked exactly when u_i < t. */
  drawSeed: number;
  /** A hand-picked configuration over the scope's positions [0, L), or null to follow the draws. */
  picked: boolean[] | null;
  scope: MaskScope;
}

export interface ExplorerSlice {
  explorer: ExplorerConfig;
  setExplorerSentence: (sentence: string) => void;
  setMaskingRatio: (t: number) => void;
  /** New draws (the next seed); leaves a hand-picked configuration for the draws. */
  rerollDraws: () => void;
  pickConfiguration: (masked: boolean[]) => void;
  followDraws: () => void;
  setMaskScope: (scope: MaskScope) => void;
  /** The article's numbers: 'forward' = 2nd and 4th masked at t = 0.3; 'loss' = 2nd, 3rd at 0.5. */
  loadArticleExample: (example: 'forward' | 'loss') => void;
  /** A fresh sentence from a toy corpus (reproducible: the n-th draw uses seed n). */
  drawCorpusSentence: (corpus: string) => void;
}

/**
 * The picture a newcomer opens on: with draw seed 1 the six words' draws are 0.57, 0.89, 0.47,
 * 0.35, 0.34 and 0.50, so t = 0.4 masks "on the" — k = 2 where t·L = 2.4, so the weighted and
 * the plain loss differ on the first screen (at t = 0.3 nothing would be masked).
 */
export const DEFAULT_EXPLORER: ExplorerConfig = {
  sentence: 'the cat sat on the mat',
  t: 0.4,
  drawSeed: 1,
  picked: null,
  scope: 'words',
};

export const ARTICLE_SENTENCE = 'the cat sat here';

/** The hash keys, prefixed so they cannot collide with other views' settings. */
export const EXPLORER_HASH_KEYS = {
  sentence: 'ex.sentence',
  t: 'ex.t',
  draws: 'ex.draws',
  mask: 'ex.mask',
  scope: 'ex.scope',
} as const;

/** t on a 10⁻⁶ grid, so arrow-key sums (0.29 + 0.01) stay tidy in read-outs and links. */
export function tidyRatio(t: number): number {
  return Math.min(1, Math.max(0, Math.round(t * 1e6) / 1e6));
}

export function explorerConfigFromHash(params: HashParams): ExplorerConfig {
  const K = EXPLORER_HASH_KEYS;
  const t = Number(params[K.t]);
  const seed = Number(params[K.draws]);
  const mask = params[K.mask];
  const sentence = params[K.sentence];
  return {
    sentence:
      sentence !== undefined && sentence.trim() !== '' ? sentence : DEFAULT_EXPLORER.sentence,
    t: params[K.t] !== undefined && t >= 0 && t <= 1 ? tidyRatio(t) : DEFAULT_EXPLORER.t,
    drawSeed:
      Number.isInteger(seed) && seed >= 0 && seed <= 0xffffffff ? seed : DEFAULT_EXPLORER.drawSeed,
    picked: mask && /^[01]+$/.test(mask) ? [...mask].map((c) => c === '1') : null,
    scope: params[K.scope] === 'window' ? 'window' : 'words',
  };
}

/** An empty `ex.mask` means "follow the draws" (writeHash merges keys and cannot remove one). */
export function explorerConfigToHash(c: ExplorerConfig): HashParams {
  const K = EXPLORER_HASH_KEYS;
  return {
    [K.sentence]: c.sentence,
    [K.t]: String(c.t),
    [K.draws]: String(c.drawSeed),
    [K.mask]: c.picked ? c.picked.map((m) => (m ? '1' : '0')).join('') : '',
    [K.scope]: c.scope,
  };
}

// A drag changes t many times a second, and history.replaceState is slow and throttled by
// browsers, so the hash is written once the configuration has rested for HASH_DELAY_MS.
const HASH_DELAY_MS = 400;

export const createExplorerSlice: StateCreator<ExplorerSlice, [], [], ExplorerSlice> = (
  set,
  get,
) => {
  let hashTimer: ReturnType<typeof setTimeout> | null = null;
  let corpusDraws = 0;

  const update = (patch: Partial<ExplorerConfig>) => {
    set({ explorer: { ...get().explorer, ...patch } });
    if (hashTimer !== null) clearTimeout(hashTimer);
    hashTimer = setTimeout(() => {
      hashTimer = null;
      writeHash(explorerConfigToHash(get().explorer));
    }, HASH_DELAY_MS);
  };

  return {
    explorer: explorerConfigFromHash(readHash()),

    setExplorerSentence(sentence) {
      if (sentence === get().explorer.sentence) return;
      // A configuration picked for other words means nothing for these.
      update({ sentence, picked: null });
    },
    setMaskingRatio(t) {
      if (!Number.isFinite(t)) return;
      update({ t: tidyRatio(t) });
    },
    rerollDraws() {
      update({ drawSeed: (get().explorer.drawSeed + 1) >>> 0, picked: null });
    },
    pickConfiguration(masked) {
      update({ picked: [...masked] });
    },
    followDraws() {
      update({ picked: null });
    },
    setMaskScope(scope) {
      if (scope !== get().explorer.scope) update({ scope, picked: null });
    },
    loadArticleExample(example) {
      update(
        example === 'forward'
          ? {
              sentence: ARTICLE_SENTENCE,
              scope: 'words',
              t: 0.3,
              picked: [false, true, false, true],
            }
          : {
              sentence: ARTICLE_SENTENCE,
              scope: 'words',
              t: 0.5,
              picked: [false, true, true, false],
            },
      );
    },
    drawCorpusSentence(corpus) {
      corpusDraws++;
      const words = getCorpus(corpus).sample(new Rng(corpusDraws));
      update({ sentence: words.join(' '), picked: null });
    },
  };
};

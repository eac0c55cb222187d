import { Vocabulary } from '../core/vocabulary';
import type { ModelManifest } from '../model/manifest';

const cache = new WeakMap<ModelManifest, Vocabulary | null>();

/**
 * The loaded model's vocabulary as a tokenizer with spelling suggestions, built once per
 * manifest. [PAD] and [EOS] may be missing (a model with [MASK] alone writes its whole window);
 * null only for a vocabulary a checked manifest never has (repeated tokens, clashing ids).
 */
export function vocabularyOf(manifest: ModelManifest): Vocabulary | null {
  const cached = cache.get(manifest);
  if (cached !== undefined) return cached;
  const { mask, pad, eos } = manifest.special;
  let vocabulary: Vocabulary | null;
  try {
    vocabulary = new Vocabulary(manifest.vocab, { special: { mask, pad, eos } });
  } catch {
    vocabulary = null;
  }
  cache.set(manifest, vocabulary);
  return vocabulary;
}

import { Vocabulary } from '../core/vocabulary';
import type { ModelManifest } from '../model/manifest';

const cache = new WeakMap<ModelManifest, Vocabulary | null>();

/**
 * The loaded model's vocabulary as a tokenizer with spelling suggestions, or null when the
 * manifest names no [PAD] and [EOS] ids (a Vocabulary needs all three special tokens; such a
 * model can still generate, but not from typed words). Built once per manifest.
 */
export function vocabularyOf(manifest: ModelManifest): Vocabulary | null {
  const cached = cache.get(manifest);
  if (cached !== undefined) return cached;
  const { mask, pad, eos } = manifest.special;
  let vocabulary: Vocabulary | null = null;
  if (pad !== undefined && eos !== undefined) {
    try {
      vocabulary = new Vocabulary(manifest.vocab, { special: { mask, pad, eos } });
    } catch {
      vocabulary = null;
    }
  }
  cache.set(manifest, vocabulary);
  return vocabulary;
}

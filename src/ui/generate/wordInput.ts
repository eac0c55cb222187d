/**
 * A word a person types for one position (a branch's pinned word, a word written as the sampler):
 * exactly one token of the model's vocabulary; [EOS] may be typed (it ends the sentence), [MASK]
 * and [PAD] may not.
 */
import { MASK_TOKEN, PAD_TOKEN, tokenize } from '../../core/vocabulary';
import type { ModelManifest } from '../../model/manifest';
import { vocabularyOf } from '../../state/modelVocabulary';

export type WordResult = { ok: true; token: number } | { ok: false; message: string };

export function readWord(manifest: ModelManifest, text: string): WordResult {
  const vocab = vocabularyOf(manifest);
  if (!vocab) return { ok: false, message: "This model's words cannot be typed." };
  const words = tokenize(text);
  if (words.length !== 1) return { ok: false, message: 'Type exactly one word.' };
  const [word] = words;
  if (word === MASK_TOKEN || word === PAD_TOKEN) {
    return { ok: false, message: `${word} cannot be written.` };
  }
  if (!vocab.has(word)) {
    const near = vocab.suggest(word);
    return {
      ok: false,
      message: `'${word}' is not in the model's vocabulary${near.length ? ` (did you mean ${near.map((w) => `'${w}'`).join(', ')}?)` : ''}.`,
    };
  }
  return { ok: true, token: vocab.id(word) };
}

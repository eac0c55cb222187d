import { corpusNames } from '../../core/corpus';
import { tokenize, Vocabulary, type UnknownWord } from '../../core/vocabulary';
import type { ModelManifest } from '../../model/manifest';
import { vocabularyOf } from '../../state/modelVocabulary';

/**
 * The explorer's sentence as the loaded model sees it: typed text → words → the toy window
 * format (the words, then [EOS] to the end of the window), with every problem named so the
 * view can flag it instead of guessing. A model without [EOS] (the article's vocabulary: [MASK]
 * alone) has no shorter window: its sentence fills the window.
 */

export type ExplorerVocabulary = { vocab: Vocabulary } | { problem: string };

/** The model's own vocabulary (ids as its embedding reads them), or why there is none. */
export function explorerVocabulary(manifest: ModelManifest): ExplorerVocabulary {
  // The page's one Vocabulary per manifest; built again only to say why there is none.
  const vocab = vocabularyOf(manifest);
  if (vocab) return { vocab };
  const { mask, pad, eos } = manifest.special;
  try {
    new Vocabulary(manifest.vocab, { special: { mask, pad, eos } });
    return { problem: 'the vocabulary cannot be read' };
  } catch (e) {
    return { problem: (e as Error).message };
  }
}

export interface ExplorerSentence {
  words: string[];
  /** The window [seqLen] when every word is known and the sentence fits, else null. */
  window: Int32Array | null;
  /** Out-of-vocabulary words, each with the nearest known words. */
  unknown: UnknownWord[];
  /** Why there is no window, besides unknown words (empty, too long, a special token typed). */
  problem: string | null;
}

export function readSentence(text: string, vocab: Vocabulary, seqLen: number): ExplorerSentence {
  const words = tokenize(text);
  const { ids, unknown } = vocab.encodeWords(words);
  let problem: string | null = null;
  const endId = vocab.endId;
  if (words.length === 0) problem = 'Type a sentence.';
  else if (endId === null && words.length !== seqLen) {
    problem = `This model has no [EOS] token to end a shorter sentence, so a sentence fills its whole window: type exactly ${seqLen} words, not ${words.length}.`;
  } else if (endId !== null && words.length > seqLen - 1) {
    problem = `The window holds ${seqLen} tokens with at least one [EOS]: at most ${seqLen - 1} words, not ${words.length}.`;
  } else if ([...ids].some((id) => id >= 0 && vocab.isSpecial(id))) {
    problem = 'Special tokens ([MASK], [PAD], [EOS]) cannot be typed here: the masking does that.';
  }
  if (problem || unknown.length > 0) return { words, window: null, unknown, problem };
  const window = new Int32Array(seqLen).fill(endId ?? vocab.maskId);
  window.set(ids);
  return { words, window, unknown, problem };
}

/** The toy corpus a model was trained on, when its manifest names a known one. */
export function trainingCorpus(manifest: ModelManifest): string {
  const named = manifest.training?.corpus;
  return typeof named === 'string' && corpusNames().includes(named) ? named : 'toy-sentences';
}

import type { Rng } from '../rng';
import { Vocabulary } from '../vocabulary';
import type { Grammar } from './grammar';

/**
 * A toy corpus: a language with an exact oracle, sampled into fixed-length token windows.
 *
 * Window format (shared by every toy corpus): the sentence's word ids, then [EOS] repeated to
 * the end of the window. Following LLaDA, the model is trained on every position, the trailing
 * [EOS]s included, which is how it learns to end a short sentence. A window always holds at
 * least one [EOS], so sentences are at most seqLen − 1 words. [PAD] never appears in a toy
 * window: it is reserved for padding batches of windows of different lengths and is never a
 * training target. [MASK] only ever appears after the forward process.
 */
export interface Corpus {
  readonly name: string;
  readonly description: string;
  readonly seqLen: number;
  readonly vocab: Vocabulary;
  /** Shortest and longest sentence the language holds, in words. */
  readonly minWords: number;
  readonly maxWords: number;
  /** One sentence, as words. */
  sample(rng: Rng): string[];
  /** How a sample reads as text; absent = words joined by spaces. */
  text?(words: readonly string[]): string;
  /** One window of seqLen ids (see the window format above). */
  sampleWindow(rng: Rng): Int32Array;
  /** n windows, row-major: [n * seqLen]. */
  sampleBatch(rng: Rng, n: number): Int32Array;
  /** Exact oracle: is this word sequence a sentence of the language? */
  isValid(words: readonly string[]): boolean;
  /**
   * Is this a well-formed window of a valid sentence: words, then one or more [EOS] to the
   * end, no [MASK], no [PAD]? `vocab` reads the ids (a model package may order its vocabulary
   * differently); it defaults to the corpus's own.
   */
  isValidWindow(ids: ArrayLike<number>, vocab?: Vocabulary): boolean;
}

/** The words of a window, or null when it is not words-then-EOS (see the window format). */
export function windowWords(ids: ArrayLike<number>, vocab: Vocabulary): string[] | null {
  const words: string[] = [];
  let i = 0;
  for (; i < ids.length && ids[i] !== vocab.eosId; i++) {
    const id = ids[i];
    if (!Number.isInteger(id) || id < 0 || id >= vocab.size || vocab.isSpecial(id)) return null;
    words.push(vocab.word(id));
  }
  if (i === ids.length) return null; // no [EOS] at all
  for (; i < ids.length; i++) if (ids[i] !== vocab.eosId) return null;
  return words;
}

/** Writes a sentence into a window: word ids, then [EOS] to the end. */
export function wordsToWindow(
  words: readonly string[],
  vocab: Vocabulary,
  seqLen: number,
  out: Int32Array = new Int32Array(seqLen),
  offset = 0,
): Int32Array {
  if (words.length > seqLen - 1) {
    throw new Error(`a ${words.length}-word sentence does not fit a ${seqLen}-token window`);
  }
  words.forEach((w, i) => (out[offset + i] = vocab.id(w)));
  out.fill(vocab.eosId, offset + words.length, offset + seqLen);
  return out;
}

export interface GrammarCorpusSpec {
  name: string;
  description: string;
  grammar: Grammar;
  seqLen: number;
  /** The vocabulary's words in display order (after the special tokens). */
  words: readonly string[];
}

/** A corpus whose sampler and oracle are both the grammar, so they cannot disagree. */
export function createGrammarCorpus(spec: GrammarCorpusSpec): Corpus {
  const { grammar, seqLen } = spec;
  const terminals = new Set(grammar.terminals);
  const listed = new Set(spec.words);
  const missing = grammar.terminals.filter((w) => !listed.has(w));
  const unused = spec.words.filter((w) => !terminals.has(w));
  if (missing.length || unused.length || listed.size !== spec.words.length) {
    throw new Error(
      `${spec.name}: vocabulary and grammar differ (missing: ${missing.join(' ') || '-'}; ` +
        `unused: ${unused.join(' ') || '-'}; or a word is listed twice)`,
    );
  }
  if (grammar.maxLength() > seqLen - 1) {
    throw new Error(`${spec.name}: sentences reach ${grammar.maxLength()} words, window ${seqLen}`);
  }
  const vocab = Vocabulary.withSpecials(spec.words, grammar.expectedWordCounts());

  const sampleWindow = (rng: Rng) => wordsToWindow(grammar.sample(rng), vocab, seqLen);
  const isValid = (words: readonly string[]) => grammar.recognizes(words);

  return {
    name: spec.name,
    description: spec.description,
    seqLen,
    vocab,
    minWords: grammar.minLength(),
    maxWords: grammar.maxLength(),
    sample: (rng) => grammar.sample(rng),
    sampleWindow,
    sampleBatch(rng, n) {
      if (!Number.isInteger(n) || n < 0) throw new Error(`batch size must be a count, got ${n}`);
      const out = new Int32Array(n * seqLen);
      for (let b = 0; b < n; b++)
        wordsToWindow(grammar.sample(rng), vocab, seqLen, out, b * seqLen);
      return out;
    },
    isValid,
    isValidWindow(ids, windowVocab = vocab) {
      const words = windowWords(ids, windowVocab);
      return words !== null && isValid(words);
    },
  };
}

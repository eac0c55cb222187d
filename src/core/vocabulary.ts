import { editDistance } from './editDistance';

/**
 * A word-level vocabulary: token ids both ways, a tokenizer for typed text, and spelling
 * suggestions for words the model does not know (the UI flags them instead of silently
 * dropping them). The toy corpora put the special tokens first: [MASK] = 0, [PAD] = 1,
 * [EOS] = 2. A model package's vocabulary may have [MASK] alone (the article's own DiffusionLM:
 * 32 ids, MASK = 0, no padding or end token); such a model writes its whole window.
 */

export const MASK_TOKEN = '[MASK]';
export const PAD_TOKEN = '[PAD]';
export const EOS_TOKEN = '[EOS]';
export const SPECIAL_TOKENS = [MASK_TOKEN, PAD_TOKEN, EOS_TOKEN] as const;

export interface SpecialIds {
  mask: number;
  pad: number;
  eos: number;
}

/** A model package's special tokens: [MASK] always, [PAD] and [EOS] when it has them. */
export interface ModelSpecialIds {
  mask: number;
  pad?: number;
  eos?: number;
}

export const DEFAULT_SPECIAL_IDS: SpecialIds = { mask: 0, pad: 1, eos: 2 };

/** A word the vocabulary lacks, where it stood in the input, and the nearest known words. */
export interface UnknownWord {
  index: number;
  word: string;
  suggestions: string[];
}

/**
 * ids holds -1 where a word is unknown, so a caller that forgets to look at `unknown` fails
 * loudly at the model's embedding lookup instead of writing a wrong token.
 */
export interface EncodeResult {
  ids: Int32Array;
  unknown: UnknownWord[];
}

export interface VocabularyOptions {
  special?: ModelSpecialIds;
  /** How common each token is (aligned with the tokens); breaks ties between suggestions. */
  frequencies?: ArrayLike<number>;
}

const MAX_SUGGESTIONS = 3;

/** Farther than this a "suggestion" is just another word; short words get a floor of 2. */
function suggestionRadius(word: string): number {
  return Math.max(2, Math.ceil(word.length / 2));
}

export class Vocabulary {
  readonly tokens: readonly string[];
  readonly special: ModelSpecialIds;
  private readonly index = new Map<string, number>();
  private readonly frequencies: Float64Array;

  constructor(tokens: readonly string[], options: VocabularyOptions = {}) {
    this.tokens = [...tokens];
    this.special = { ...(options.special ?? DEFAULT_SPECIAL_IDS) };
    tokens.forEach((token, i) => {
      if (this.index.has(token)) throw new Error(`vocabulary lists '${token}' twice`);
      this.index.set(token, i);
    });
    for (const [name, id] of Object.entries(this.special)) {
      if (id === undefined) continue;
      if (!Number.isInteger(id) || id < 0 || id >= tokens.length) {
        throw new Error(
          `special token ${name} id ${id} is outside the vocabulary (size ${tokens.length})`,
        );
      }
    }
    const { mask, pad, eos } = this.special;
    if (mask === pad || mask === eos || (pad !== undefined && pad === eos)) {
      throw new Error(`special token ids must differ, got mask ${mask}, pad ${pad}, eos ${eos}`);
    }
    this.frequencies = new Float64Array(tokens.length);
    if (options.frequencies) {
      if (options.frequencies.length !== tokens.length) {
        throw new Error(
          `frequencies has ${options.frequencies.length} entries for ${tokens.length} tokens`,
        );
      }
      this.frequencies.set(Array.from(options.frequencies));
    }
  }

  /** [MASK], [PAD], [EOS], then the words in the order given. */
  static withSpecials(words: readonly string[], frequencies?: ReadonlyMap<string, number>) {
    const tokens = [...SPECIAL_TOKENS, ...words];
    const freq = frequencies ? tokens.map((t) => frequencies.get(t) ?? 0) : undefined;
    return new Vocabulary(tokens, { frequencies: freq });
  }

  get size(): number {
    return this.tokens.length;
  }

  get maskId(): number {
    return this.special.mask;
  }

  /** [PAD]'s id; only for a vocabulary that has one (every toy corpus's does). */
  get padId(): number {
    if (this.special.pad === undefined) throw new RangeError('this vocabulary has no [PAD] token');
    return this.special.pad;
  }

  /** [EOS]'s id; only for a vocabulary that has one (every toy corpus's does). */
  get eosId(): number {
    if (this.special.eos === undefined) throw new RangeError('this vocabulary has no [EOS] token');
    return this.special.eos;
  }

  /**
   * The end-of-text id, or null for a model without one: it cannot write a shorter text than
   * its window, so a sampler writes the whole window and nothing pads it.
   */
  get endId(): number | null {
    return this.special.eos ?? null;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The id of a known token; throws, with suggestions, for an unknown one. */
  id(word: string): number {
    const id = this.index.get(word);
    if (id === undefined) {
      const near = this.suggest(word);
      const hint = near.length ? ` (did you mean ${near.map((w) => `'${w}'`).join(', ')}?)` : '';
      throw new RangeError(`'${word}' is not in the vocabulary${hint}`);
    }
    return id;
  }

  word(id: number): string {
    if (!Number.isInteger(id) || id < 0 || id >= this.tokens.length) {
      throw new RangeError(`token id ${id} is outside the vocabulary (size ${this.tokens.length})`);
    }
    return this.tokens[id];
  }

  isSpecial(id: number): boolean {
    return id === this.special.mask || id === this.special.pad || id === this.special.eos;
  }

  /** Up to 3 known words nearest by edit distance, then most frequent, then alphabetical. */
  suggest(word: string, max = MAX_SUGGESTIONS): string[] {
    const target = word.toLowerCase();
    const radius = suggestionRadius(target);
    const candidates: { token: string; distance: number; frequency: number }[] = [];
    this.tokens.forEach((token, id) => {
      if (this.isSpecial(id)) return;
      const distance = editDistance(target, token);
      if (distance <= radius) candidates.push({ token, distance, frequency: this.frequencies[id] });
    });
    candidates.sort(
      (a, b) =>
        a.distance - b.distance ||
        b.frequency - a.frequency ||
        (a.token < b.token ? -1 : a.token > b.token ? 1 : 0),
    );
    return candidates.slice(0, max).map((c) => c.token);
  }

  encodeWords(words: readonly string[]): EncodeResult {
    const ids = new Int32Array(words.length);
    const unknown: UnknownWord[] = [];
    words.forEach((word, index) => {
      const id = this.index.get(word);
      if (id === undefined) {
        ids[index] = -1;
        unknown.push({ index, word, suggestions: this.suggest(word) });
      } else {
        ids[index] = id;
      }
    });
    return { ids, unknown };
  }

  /** tokenize, then encodeWords. */
  encode(text: string): EncodeResult {
    return this.encodeWords(tokenize(text));
  }

  /** The words up to the first [EOS]; [PAD] dropped; [MASK] kept as '[MASK]'. */
  decodeWords(ids: ArrayLike<number>): string[] {
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (id === this.special.eos) break;
      if (id === this.special.pad) continue;
      words.push(id === this.special.mask ? MASK_TOKEN : this.word(id));
    }
    return words;
  }

  decode(ids: ArrayLike<number>): string {
    return this.decodeWords(ids).join(' ');
  }
}

/** Typed forms of the special tokens, [SEP] (couplet models) included. */
const SPECIAL_BY_LOWERCASE = new Map([...SPECIAL_TOKENS, '[SEP]'].map((t) => [t.toLowerCase(), t]));

/**
 * Lowercases and splits on whitespace and punctuation (anything that is not a letter or a
 * digit). A typed [MASK], [PAD], [EOS] or [SEP], in any case, stays one special token so a person
 * can write "the cat [mask] on the mat" to ask for an infill. A Han character is a token of its
 * own (character-level couplet models), so "窈窕淑女" is four tokens.
 */
export function tokenize(text: string): string[] {
  const pieces =
    text
      .toLowerCase()
      .match(/\[(?:mask|pad|eos|sep)\]|\p{Script=Han}|(?:(?!\p{Script=Han})[\p{L}\p{N}])+/gu) ?? [];
  return pieces.map((p) => SPECIAL_BY_LOWERCASE.get(p) ?? p);
}

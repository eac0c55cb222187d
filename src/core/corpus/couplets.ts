/**
 * Couplets: pairs of lines, character level, for the reversal-curse test (LLaDA, Nie et al. 2025,
 * §4.3; their 469 classical Chinese couplets live in ../shared/data/). A couplet set is a JSON
 * list of `{"first": …, "second": …}` (extra fields such as "source" are ignored).
 *
 * Tokens: [MASK], [PAD], [EOS], [SEP], then every character of the set, by code point. A line is
 * its characters (Unicode code points, so a character outside the BMP is one token).
 *
 * Window: first + [SEP] + second, then [EOS] to the end — the toy window format with [SEP] in
 * the middle. The window length is the longest couplet (first + second characters) plus 2 (the
 * [SEP] and at least one [EOS]); the LLaDA set's longest lines are 11 characters, and its window
 * is 24. Models are trained on this one direction only (first, then second).
 *
 * Lines of a couplet usually have the same length, but not always (51 of the 469 LLaDA couplets
 * differ); they are accepted as they are: see reversalTasks.ts for how each direction is posed.
 */
import type { Rng } from '../rng';
import { Vocabulary, MASK_TOKEN, PAD_TOKEN, EOS_TOKEN } from '../vocabulary';
import type { Corpus } from './corpus';

export const SEP_TOKEN = '[SEP]';
export const COUPLET_SPECIAL_TOKENS = [MASK_TOKEN, PAD_TOKEN, EOS_TOKEN, SEP_TOKEN] as const;

/** Longer lines would make the window, and the model, bigger than a couplet needs. */
export const MAX_LINE_CHARACTERS = 32;
/** More entries than this is not a couplet list; refused rather than trained on for hours. */
export const MAX_COUPLETS = 20000;
/** How many problems a refused file lists before "and N more". */
const MAX_LISTED_PROBLEMS = 12;

export interface Couplet {
  first: string;
  second: string;
}

export type ParseCoupletsResult =
  { ok: true; couplets: Couplet[] } | { ok: false; errors: string[] };

/** A line as tokens: one per Unicode code point. */
export function lineCharacters(line: string): string[] {
  return Array.from(line);
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Checks a parsed JSON value (or JSON text) and returns its couplets, or every problem in words a
 * person can fix (entry numbers are 1-based, as in an editor's list). Lines are trimmed; a line
 * must hold 1 to MAX_LINE_CHARACTERS characters and no line break or tab.
 */
export function parseCouplets(input: unknown): ParseCoupletsResult {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [`not JSON: ${(e as Error).message}`] };
    }
  }
  if (!Array.isArray(value)) {
    return {
      ok: false,
      errors: [`expected a JSON list of {"first": …, "second": …}, got ${describe(value)}`],
    };
  }
  if (value.length === 0) return { ok: false, errors: ['the list is empty: no couplets'] };
  if (value.length > MAX_COUPLETS) {
    return {
      ok: false,
      errors: [`${value.length} entries; at most ${MAX_COUPLETS} couplets are accepted`],
    };
  }
  const errors: string[] = [];
  const couplets: Couplet[] = [];
  value.forEach((entry: unknown, i) => {
    const where = `entry ${i + 1}`;
    if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) {
      errors.push(`${where}: expected an object {"first": …, "second": …}, got ${describe(entry)}`);
      return;
    }
    const lines: Partial<Couplet> = {};
    for (const key of ['first', 'second'] as const) {
      const raw = (entry as Record<string, unknown>)[key];
      if (typeof raw !== 'string') {
        errors.push(`${where}: "${key}" must be a string, got ${describe(raw)}`);
        continue;
      }
      const line = raw.trim();
      const n = lineCharacters(line).length;
      if (n === 0) errors.push(`${where}: "${key}" is empty`);
      else if (n > MAX_LINE_CHARACTERS) {
        errors.push(`${where}: "${key}" has ${n} characters; at most ${MAX_LINE_CHARACTERS}`);
      } else if (/[\n\r\t]/.test(line)) {
        errors.push(`${where}: "${key}" holds a line break or tab`);
      } else if (line.includes(SEP_TOKEN) || /\[(MASK|PAD|EOS)\]/.test(line)) {
        // Harmless at character level, but a reader would take it for the token.
        errors.push(`${where}: "${key}" spells a special token (${line})`);
      } else lines[key] = line;
    }
    if (lines.first !== undefined && lines.second !== undefined) {
      couplets.push({ first: lines.first, second: lines.second });
    }
  });
  if (errors.length > 0) {
    const shown = errors.slice(0, MAX_LISTED_PROBLEMS);
    if (errors.length > shown.length) shown.push(`… and ${errors.length - shown.length} more`);
    return { ok: false, errors: shown };
  }
  return { ok: true, couplets };
}

/** [MASK], [PAD], [EOS], [SEP], then the set's characters by code point. */
export function coupletVocabulary(couplets: readonly Couplet[]): Vocabulary {
  const counts = new Map<string, number>();
  for (const c of couplets) {
    for (const ch of [...lineCharacters(c.first), ...lineCharacters(c.second)]) {
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
  }
  const characters = [...counts.keys()].sort((a, b) => a.codePointAt(0)! - b.codePointAt(0)!);
  const tokens = [...COUPLET_SPECIAL_TOKENS, ...characters];
  return new Vocabulary(tokens, { frequencies: tokens.map((t) => counts.get(t) ?? 0) });
}

/** The window length a couplet set needs: its longest first + second, plus [SEP] and one [EOS]. */
export function coupletSeqLen(couplets: readonly Couplet[]): number {
  let longest = 0;
  for (const c of couplets) {
    longest = Math.max(longest, lineCharacters(c.first).length + lineCharacters(c.second).length);
  }
  return longest + 2;
}

/** first + [SEP] + second, as tokens. */
export function coupletTokens(c: Couplet): string[] {
  return [...lineCharacters(c.first), SEP_TOKEN, ...lineCharacters(c.second)];
}

/** The couplet's training window: first + [SEP] + second + [EOS] to the end. */
export function coupletWindow(
  c: Couplet,
  vocab: Vocabulary,
  seqLen: number,
  out: Int32Array = new Int32Array(seqLen),
  offset = 0,
): Int32Array {
  const tokens = coupletTokens(c);
  if (tokens.length > seqLen - 1) {
    throw new Error(`a ${tokens.length}-token couplet does not fit a ${seqLen}-token window`);
  }
  tokens.forEach((t, i) => (out[offset + i] = vocab.id(t)));
  out.fill(vocab.eosId, offset + tokens.length, offset + seqLen);
  return out;
}

export interface CoupletCorpus extends Corpus {
  readonly couplets: readonly Couplet[];
  readonly sepId: number;
}

/**
 * A couplet set as a Corpus, so the trainers take it like a toy corpus: windows are drawn
 * uniformly from the couplets (with replacement), and the "oracle" says whether a token
 * sequence is one of them (first + [SEP] + second, exactly).
 */
export function createCoupletCorpus(
  name: string,
  description: string,
  couplets: readonly Couplet[],
  seqLen = coupletSeqLen(couplets),
): CoupletCorpus {
  if (couplets.length === 0) throw new Error(`${name}: no couplets`);
  if (seqLen < coupletSeqLen(couplets)) {
    throw new Error(`${name}: the longest couplet needs a window of ${coupletSeqLen(couplets)}`);
  }
  const vocab = coupletVocabulary(couplets);
  const known = new Set(couplets.map((c) => coupletTokens(c).join('\u0000')));
  const lengths = couplets.map((c) => coupletTokens(c).length);
  const isValid = (words: readonly string[]) => known.has(words.join('\u0000'));
  const pick = (rng: Rng) => couplets[Math.floor(rng.uniform() * couplets.length)];
  return {
    name,
    description,
    seqLen,
    vocab,
    couplets,
    sepId: vocab.id(SEP_TOKEN),
    minWords: Math.min(...lengths),
    maxWords: Math.max(...lengths),
    sample: (rng) => coupletTokens(pick(rng)),
    text: (words) => words.map((w) => (w === SEP_TOKEN ? ' / ' : w)).join(''),
    sampleWindow: (rng) => coupletWindow(pick(rng), vocab, seqLen),
    sampleBatch(rng, n) {
      if (!Number.isInteger(n) || n < 0) throw new Error(`batch size must be a count, got ${n}`);
      const out = new Int32Array(n * seqLen);
      for (let b = 0; b < n; b++) coupletWindow(pick(rng), vocab, seqLen, out, b * seqLen);
      return out;
    },
    isValid,
    isValidWindow(ids, windowVocab = vocab) {
      const words: string[] = [];
      let i = 0;
      for (; i < ids.length && ids[i] !== windowVocab.eosId; i++) {
        const id = ids[i];
        if (id === windowVocab.maskId || id === windowVocab.padId) return false;
        if (!Number.isInteger(id) || id < 0 || id >= windowVocab.size) return false;
        words.push(windowVocab.word(id));
      }
      if (i === ids.length) return false;
      for (; i < ids.length; i++) if (ids[i] !== windowVocab.eosId) return false;
      return isValid(words);
    },
  };
}

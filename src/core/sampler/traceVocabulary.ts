/**
 * Which vocabulary a trace's token ids belong to. A trace stores ids, not words: replayed on a
 * model with another vocabulary of the same size, it would show the wrong words without a sign.
 * So a trace carries the id of the model that wrote it and a hash of its vocabulary, and a
 * replay on another vocabulary is refused (an older trace without them gets a warning).
 */

export interface TraceVocabulary {
  /** The manifest id of the model that wrote the trace. */
  modelId: string;
  /** vocabularyHash of that model's tokens, in id order. */
  hash: string;
}

/** What a model says about itself that the check needs. */
export interface VocabularyOwner {
  id: string;
  vocab: readonly string[];
}

/** Two FNV-1a hashes (different offsets) of the tokens with their boundaries: 16 hex digits. */
export function vocabularyHash(tokens: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (code: number) => {
    a = Math.imul(a ^ code, 0x01000193) >>> 0;
    b = Math.imul(b ^ code, 0x01000193) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  };
  for (const token of tokens) {
    for (let i = 0; i < token.length; i++) mix(token.charCodeAt(i));
    mix(0x1f); // a separator no token contains at that place: ["ab", "c"] ≠ ["a", "bc"]
    mix(token.length);
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export function traceVocabularyOf(model: VocabularyOwner): TraceVocabulary {
  return { modelId: model.id, hash: vocabularyHash(model.vocab) };
}

/** The trace file's `vocabulary` field, checked; problems are named with their path. */
export function parseTraceVocabulary(x: unknown): {
  value: TraceVocabulary | undefined;
  problems: string[];
} {
  if (x === undefined) return { value: undefined, problems: [] };
  const v = x as Partial<TraceVocabulary> | null;
  const problems: string[] = [];
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    return { value: undefined, problems: ['vocabulary: expected an object { modelId, hash }'] };
  }
  if (typeof v.modelId !== 'string' || v.modelId === '')
    problems.push('vocabulary.modelId: expected the id of the model that wrote the trace');
  if (typeof v.hash !== 'string' || !/^[0-9a-f]{16}$/.test(v.hash))
    problems.push('vocabulary.hash: expected 16 hex digits');
  return problems.length
    ? { value: undefined, problems }
    : { value: { modelId: v.modelId!, hash: v.hash! }, problems };
}

export type VocabularyVerdict =
  | { kind: 'same' }
  /** Replay with a caveat (the trace does not say its vocabulary). */
  | { kind: 'unknown'; warning: string }
  | { kind: 'different'; error: string };

/** Whether a trace's ids can be read with the loaded model's vocabulary. */
export function checkTraceVocabulary(
  written: TraceVocabulary | undefined,
  loaded: VocabularyOwner,
): VocabularyVerdict {
  if (!written) {
    return {
      kind: 'unknown',
      warning:
        `This trace does not say which vocabulary wrote it (it predates that field), so its ` +
        `token ids are shown as the words of the loaded model, ${loaded.id}: if another model ` +
        `wrote it, the words are wrong.`,
    };
  }
  const hash = vocabularyHash(loaded.vocab);
  if (written.hash === hash) return { kind: 'same' };
  return {
    kind: 'different',
    error:
      `vocabulary: the trace was written by ${written.modelId}, whose vocabulary is not the ` +
      `loaded model's (${loaded.id}; hash ${written.hash} against ${hash}), so its token ids ` +
      `would show the wrong words. Open ${written.modelId} first.`,
  };
}

/**
 * Contract 1 of ARCHITECTURE.md: the manifest of a model package. `parseManifest` checks every
 * field and reports every problem at once, each naming the field, so a person can fix a lying
 * manifest without guessing.
 */
export type TokenType = 'int32' | 'int64';
export type ModelKind = 'masked-diffusion' | 'autoregressive';

export interface ManifestIo {
  tokens: string;
  t: string | null;
  logits: string;
  tokenType: TokenType;
}

export interface ModelManifest {
  format: 'unmask.model/1';
  id: string;
  title: string;
  description: string;
  kind: ModelKind;
  onnx: string;
  io: ManifestIo;
  seqLen: number;
  vocab: string[];
  special: { mask: number; pad?: number; eos?: number };
  architecture?: Record<string, unknown>;
  training?: Record<string, unknown>;
  [extra: string]: unknown;
}

export class ManifestError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid manifest: ${problems.join('; ')}`);
    this.name = 'ManifestError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The longest window the page accepts: every sampler step runs the whole window, and a typo such
 * as 1e9 would otherwise ask the inference worker for gigabytes before any check could fail.
 */
export const MAX_SEQ_LEN = 4096;

/** A value as the person wrote it, short enough for a one-line message. */
function shown(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v) ?? String(v);
  return text.length > 40 ? `${text.slice(0, 37)}…` : text;
}

export function parseManifest(input: unknown): ModelManifest {
  const problems: string[] = [];
  if (!isObject(input)) {
    throw new ManifestError([
      `the manifest must be a JSON object ({ "format": "unmask.model/1", … }), got ${Array.isArray(input) ? 'an array' : shown(input)}`,
    ]);
  }
  const m = input;
  const missing = (key: string, what: string) => problems.push(`"${key}" is missing (${what})`);
  const str = (key: string, optional = false) => {
    const v = m[key];
    if (v === undefined) {
      if (!optional) missing(key, 'a non-empty string');
    } else if (typeof v !== 'string' || v.length === 0) {
      problems.push(`"${key}" must be a non-empty string, got ${shown(v)}`);
    }
  };
  if (m.format === undefined) missing('format', 'it must be "unmask.model/1"');
  else if (m.format !== 'unmask.model/1') {
    problems.push(`"format" must be "unmask.model/1", got ${shown(m.format)}`);
  }
  str('id');
  str('title');
  str('description', true);
  str('onnx');
  if (m.kind === undefined) missing('kind', '"masked-diffusion" or "autoregressive"');
  else if (m.kind !== 'masked-diffusion' && m.kind !== 'autoregressive') {
    problems.push(`"kind" must be "masked-diffusion" or "autoregressive", got ${shown(m.kind)}`);
  }
  if (m.seqLen === undefined) missing('seqLen', 'the window length, a positive integer');
  else if (!Number.isInteger(m.seqLen) || (m.seqLen as number) <= 0) {
    problems.push(`"seqLen" must be a positive integer, got ${shown(m.seqLen)}`);
  } else if ((m.seqLen as number) > MAX_SEQ_LEN) {
    problems.push(
      `"seqLen" is ${m.seqLen as number}, but the page runs windows of at most ${MAX_SEQ_LEN} tokens`,
    );
  }
  const vocab = m.vocab;
  let vocabSize = 0;
  if (vocab === undefined) missing('vocab', 'an array with one token string per logit');
  else if (!Array.isArray(vocab) || vocab.length === 0) {
    problems.push(`"vocab" must be a non-empty array of token strings, got ${shown(vocab)}`);
  } else {
    const seen = new Map<string, number>();
    const vocabProblems: string[] = [];
    vocab.forEach((w: unknown, i) => {
      if (typeof w !== 'string') {
        vocabProblems.push(`"vocab[${i}]" must be a string, got ${shown(w)}`);
        return;
      }
      const first = seen.get(w);
      if (first !== undefined) {
        vocabProblems.push(`"vocab[${i}]" repeats the token ${shown(w)} of "vocab[${first}]"`);
      } else seen.set(w, i);
    });
    // Past the first few, more of the same says nothing new; keep the list readable.
    const SHOWN = 8;
    problems.push(...vocabProblems.slice(0, SHOWN));
    if (vocabProblems.length > SHOWN) {
      problems.push(`… and ${vocabProblems.length - SHOWN} more problems in "vocab"`);
    }
    vocabSize = vocab.length;
  }
  if (m.special === undefined) missing('special', 'an object with at least "mask"');
  else if (!isObject(m.special)) {
    problems.push(`"special" must be an object with at least "mask", got ${shown(m.special)}`);
  } else {
    const ids = new Map<number, string>();
    for (const key of ['mask', 'pad', 'eos'] as const) {
      const v = m.special[key];
      if (v === undefined) {
        if (key === 'mask') missing('special.mask', 'the [MASK] token\'s id in "vocab"');
        continue;
      }
      if (
        !Number.isInteger(v) ||
        (v as number) < 0 ||
        (vocabSize > 0 && (v as number) >= vocabSize)
      ) {
        problems.push(
          `"special.${key}" must be a token id inside the vocabulary (0..${Math.max(0, vocabSize - 1)}), got ${shown(v)}`,
        );
        continue;
      }
      const other = ids.get(v as number);
      if (other)
        problems.push(`"special.${key}" and "special.${other}" are both token ${v as number}`);
      ids.set(v as number, key);
    }
  }
  if (m.io === undefined) {
    missing('io', 'an object with "tokens", "t", "logits" and "tokenType"');
  } else if (!isObject(m.io)) {
    problems.push(
      `"io" must be an object with "tokens", "t", "logits" and "tokenType", got ${shown(m.io)}`,
    );
  } else {
    for (const key of ['tokens', 'logits'] as const) {
      const v = m.io[key];
      const what =
        key === 'tokens' ? 'the name of the token input' : 'the name of the logits output';
      if (v === undefined) missing(`io.${key}`, what);
      else if (typeof v !== 'string' || v.length === 0) {
        problems.push(`"io.${key}" must be ${what}, got ${shown(v)}`);
      }
    }
    if (m.io.t === undefined) {
      missing('io.t', 'the name of the masking-ratio input, or null when the model takes none');
    } else if (m.io.t !== null && (typeof m.io.t !== 'string' || m.io.t.length === 0)) {
      problems.push(
        `"io.t" must name the model's masking-ratio input, or be null when it takes none, got ${shown(m.io.t)}`,
      );
    }
    if (m.io.tokenType === undefined) missing('io.tokenType', '"int32" or "int64"');
    else if (m.io.tokenType !== 'int32' && m.io.tokenType !== 'int64') {
      problems.push(`"io.tokenType" must be "int32" or "int64", got ${shown(m.io.tokenType)}`);
    }
  }
  for (const key of ['architecture', 'training'] as const) {
    if (m[key] !== undefined && !isObject(m[key])) {
      problems.push(`"${key}" must be an object when present, got ${shown(m[key])}`);
    }
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return m as unknown as ModelManifest;
}

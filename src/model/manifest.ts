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

export function parseManifest(input: unknown): ModelManifest {
  const problems: string[] = [];
  if (!isObject(input)) throw new ManifestError(['the manifest must be a JSON object']);
  const m = input;
  const str = (key: string, optional = false) => {
    const v = m[key];
    if (v === undefined && optional) return;
    if (typeof v !== 'string' || v.length === 0)
      problems.push(`"${key}" must be a non-empty string`);
  };
  if (m.format !== 'unmask.model/1') {
    problems.push(`"format" must be "unmask.model/1", got ${JSON.stringify(m.format)}`);
  }
  str('id');
  str('title');
  str('description', true);
  str('onnx');
  if (m.kind !== 'masked-diffusion' && m.kind !== 'autoregressive') {
    problems.push(
      `"kind" must be "masked-diffusion" or "autoregressive", got ${JSON.stringify(m.kind)}`,
    );
  }
  if (!Number.isInteger(m.seqLen) || (m.seqLen as number) <= 0) {
    problems.push(`"seqLen" must be a positive integer, got ${JSON.stringify(m.seqLen)}`);
  }
  const vocab = m.vocab;
  let vocabSize = 0;
  if (!Array.isArray(vocab) || vocab.length === 0 || !vocab.every((w) => typeof w === 'string')) {
    problems.push(`"vocab" must be a non-empty array of strings`);
  } else {
    vocabSize = vocab.length;
    const seen = new Set<string>();
    vocab.forEach((w, i) => {
      if (seen.has(w)) problems.push(`"vocab[${i}]" repeats the token ${JSON.stringify(w)}`);
      seen.add(w);
    });
  }
  if (!isObject(m.special)) {
    problems.push(`"special" must be an object with at least "mask"`);
  } else {
    for (const key of ['mask', 'pad', 'eos'] as const) {
      const v = m.special[key];
      if (v === undefined && key !== 'mask') continue;
      if (
        !Number.isInteger(v) ||
        (v as number) < 0 ||
        (vocabSize > 0 && (v as number) >= vocabSize)
      ) {
        problems.push(
          `"special.${key}" must be a token id inside the vocabulary (0..${Math.max(0, vocabSize - 1)}), got ${JSON.stringify(v)}`,
        );
      }
    }
  }
  if (!isObject(m.io)) {
    problems.push(`"io" must be an object with "tokens", "t", "logits" and "tokenType"`);
  } else {
    for (const key of ['tokens', 'logits'] as const) {
      if (typeof m.io[key] !== 'string' || (m.io[key] as string).length === 0) {
        problems.push(`"io.${key}" must name a graph ${key === 'tokens' ? 'input' : 'output'}`);
      }
    }
    if (m.io.t !== null && (typeof m.io.t !== 'string' || m.io.t.length === 0)) {
      problems.push(`"io.t" must name the graph's t input, or be null when the model takes no t`);
    }
    if (m.io.tokenType !== 'int32' && m.io.tokenType !== 'int64') {
      problems.push(
        `"io.tokenType" must be "int32" or "int64", got ${JSON.stringify(m.io.tokenType)}`,
      );
    }
  }
  for (const key of ['architecture', 'training'] as const) {
    if (m[key] !== undefined && !isObject(m[key])) problems.push(`"${key}" must be an object`);
  }
  if (problems.length > 0) throw new ManifestError(problems);
  return m as unknown as ModelManifest;
}

import type { ModelManifest } from './manifest';

/** What a loaded graph says about its inputs and outputs (from ORT metadata or the .onnx). */
export interface GraphValue {
  name: string;
  /** Element type as ORT names it: 'int32', 'int64', 'float32', … */
  type: string;
  /** Dimensions: numbers, symbolic names, or null when unknown. */
  shape: (number | string | null)[];
}

export interface GraphSignature {
  inputs: GraphValue[];
  outputs: GraphValue[];
}

const quoteAll = (vs: GraphValue[]) => vs.map((v) => `"${v.name}"`).join(', ') || 'none';

/**
 * Checks a graph against its manifest (Contract 1): input and output names, element types,
 * ranks and the fixed dimensions that are known. Returns every problem in words, each naming the
 * manifest field and what would fix it; empty means the package keeps the contract as far as the
 * graph's declared signature can tell. The logits' vocabulary dimension is checked again on a
 * real run, since exporters often leave it symbolic.
 */
export function checkGraphAgainstManifest(
  graph: GraphSignature,
  manifest: ModelManifest,
): string[] {
  const problems: string[] = [];
  const V = manifest.vocab.length;
  const input = (name: string) => graph.inputs.find((v) => v.name === name);
  const named = new Set([manifest.io.tokens, ...(manifest.io.t !== null ? [manifest.io.t] : [])]);
  const unnamed = graph.inputs.filter((v) => !named.has(v.name));
  // A misnamed io field and the input it should have named are one mistake: suggest the input
  // (when only one fits) instead of reporting it a second time as unnamed.
  const suggested = new Set<string>();
  const suggest = (types: string[]) => {
    const fits = unnamed.filter((v) => types.includes(v.type) && !suggested.has(v.name));
    if (fits.length !== 1) return null;
    suggested.add(fits[0].name);
    return fits[0];
  };

  let tokens = input(manifest.io.tokens);
  if (!tokens) {
    const fix = suggest(['int32', 'int64']);
    problems.push(
      `"io.tokens" names the input "${manifest.io.tokens}", but the model's inputs are ${quoteAll(graph.inputs)}: ` +
        (fix ? `set "io.tokens" to "${fix.name}"` : `set it to the token input's name`),
    );
    // Check the suggested input too, so one round of fixes is enough.
    tokens = fix ?? undefined;
  }
  if (tokens) {
    if (tokens.type !== manifest.io.tokenType) {
      problems.push(
        `"io.tokenType" says ${manifest.io.tokenType}, but the model's input "${tokens.name}" holds ${tokens.type}: ` +
          (tokens.type === 'int32' || tokens.type === 'int64'
            ? `set "io.tokenType" to "${tokens.type}"`
            : 'token ids must be int32 or int64'),
      );
    }
    if (tokens.shape.length !== 2 && tokens.shape.length !== 0) {
      problems.push(
        `the model's input "${tokens.name}" must be [batch, length], but has ${tokens.shape.length} dimensions`,
      );
    }
    const len = tokens.shape[1];
    if (typeof len === 'number' && len !== manifest.seqLen) {
      problems.push(
        `"seqLen" says ${manifest.seqLen}, but the model's input "${tokens.name}" has a fixed length of ${len}: set "seqLen" to ${len}`,
      );
    }
  }
  if (manifest.io.t !== null) {
    const t = input(manifest.io.t);
    if (!t) {
      const fix = suggest(['float32']);
      problems.push(
        `"io.t" names the input "${manifest.io.t}", but the model's inputs are ${quoteAll(graph.inputs)}: ` +
          (fix
            ? `set "io.t" to "${fix.name}"`
            : 'set it to the masking-ratio input, or to null if the model takes none'),
      );
    } else if (t.type !== 'float32') {
      problems.push(
        `the model's input "${t.name}" ("io.t", the masking ratio) must be float32, but holds ${t.type}`,
      );
    }
  }
  for (const v of unnamed) {
    if (suggested.has(v.name)) continue;
    problems.push(
      `the model needs an input "${v.name}" that the manifest's "io" does not name: name it in "io.tokens" or "io.t"`,
    );
  }
  const logits = graph.outputs.find((v) => v.name === manifest.io.logits);
  if (!logits) {
    problems.push(
      `"io.logits" names the output "${manifest.io.logits}", but the model's outputs are ${quoteAll(graph.outputs)}: set it to the logits output's name`,
    );
  } else {
    if (logits.type !== 'float32') {
      problems.push(
        `the model's output "${logits.name}" ("io.logits") must be float32, but holds ${logits.type}`,
      );
    }
    if (logits.shape.length !== 3 && logits.shape.length !== 0) {
      problems.push(
        `the model's output "${logits.name}" must be [batch, length, vocabulary], but has ${logits.shape.length} dimensions`,
      );
    }
    const v = logits.shape[2];
    if (typeof v === 'number' && v !== V) problems.push(vocabularyMismatch(v, V));
  }
  return problems;
}

function vocabularyMismatch(perPosition: number, V: number): string {
  return `"vocab" lists ${V} tokens, but the model gives ${perPosition} logits per position: "vocab" must list exactly one token per logit, in the model's order`;
}

/** The check that needs a real run: the logits buffer must be [batch, length, V]. */
export function checkLogitsSize(
  size: number,
  batch: number,
  length: number,
  manifest: ModelManifest,
): string[] {
  const V = manifest.vocab.length;
  if (size === batch * length * V) return [];
  const perPosition = size / (batch * length);
  return [
    Number.isInteger(perPosition)
      ? vocabularyMismatch(perPosition, V)
      : `the model returned ${size} logits for ${batch}×${length} positions, which is not [batch, length, ${V}]: check "io.logits" and "seqLen"`,
  ];
}

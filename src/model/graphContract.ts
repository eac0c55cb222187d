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

/**
 * Checks a graph against its manifest (Contract 1): input and output names, element types,
 * ranks and the fixed dimensions that are known. Returns every problem in words; empty means the
 * package keeps the contract as far as the graph's declared signature can tell. The logits'
 * vocabulary dimension is checked again on a real run, since exporters often leave it symbolic.
 */
export function checkGraphAgainstManifest(
  graph: GraphSignature,
  manifest: ModelManifest,
): string[] {
  const problems: string[] = [];
  const V = manifest.vocab.length;
  const input = (name: string) => graph.inputs.find((v) => v.name === name);
  const names = (vs: GraphValue[]) => vs.map((v) => `"${v.name}"`).join(', ') || 'none';

  const tokens = input(manifest.io.tokens);
  if (!tokens) {
    problems.push(
      `io.tokens names input "${manifest.io.tokens}", but the graph's inputs are ${names(graph.inputs)}`,
    );
  } else {
    if (tokens.type !== manifest.io.tokenType) {
      problems.push(
        `input "${tokens.name}" holds ${tokens.type}, but io.tokenType says ${manifest.io.tokenType}`,
      );
    }
    if (tokens.shape.length !== 2 && tokens.shape.length !== 0) {
      problems.push(
        `input "${tokens.name}" must be [batch, length], but has rank ${tokens.shape.length}`,
      );
    }
    const len = tokens.shape[1];
    if (typeof len === 'number' && len !== manifest.seqLen) {
      problems.push(`input "${tokens.name}" has length ${len}, but seqLen says ${manifest.seqLen}`);
    }
  }
  if (manifest.io.t !== null) {
    const t = input(manifest.io.t);
    if (!t) {
      problems.push(
        `io.t names input "${manifest.io.t}", but the graph's inputs are ${names(graph.inputs)}`,
      );
    } else if (t.type !== 'float32') {
      problems.push(`input "${t.name}" (t) must be float32, but holds ${t.type}`);
    }
  }
  const expected = new Set([
    manifest.io.tokens,
    ...(manifest.io.t !== null ? [manifest.io.t] : []),
  ]);
  for (const v of graph.inputs) {
    if (!expected.has(v.name)) {
      problems.push(`the graph needs input "${v.name}", which the manifest's io does not name`);
    }
  }
  const logits = graph.outputs.find((v) => v.name === manifest.io.logits);
  if (!logits) {
    problems.push(
      `io.logits names output "${manifest.io.logits}", but the graph's outputs are ${names(graph.outputs)}`,
    );
  } else {
    if (logits.type !== 'float32')
      problems.push(`output "${logits.name}" must be float32, but holds ${logits.type}`);
    if (logits.shape.length !== 3 && logits.shape.length !== 0) {
      problems.push(
        `output "${logits.name}" must be [batch, length, vocab], but has rank ${logits.shape.length}`,
      );
    }
    const v = logits.shape[2];
    if (typeof v === 'number' && v !== V) {
      problems.push(
        `output "${logits.name}" has ${v} logits per position, but the vocabulary has ${V} tokens`,
      );
    }
  }
  return problems;
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
      ? `the model returned ${perPosition} logits per position, but the vocabulary has ${V} tokens`
      : `the model returned ${size} logits for ${batch}×${length} positions, which is not [batch, length, ${V}]`,
  ];
}

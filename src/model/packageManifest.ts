import type { ModelConfig } from './config';
import type { ModelKind, ModelManifest } from './manifest';

export interface PackageDescription {
  id: string;
  title: string;
  description: string;
  kind: ModelKind;
  config: ModelConfig;
  vocab: string[];
  special: { mask: number; pad: number; eos: number };
  /** Settings and measurements of the run that made the weights. */
  training: Record<string, unknown>;
  /** The .onnx file's name beside the manifest (default model.onnx, a folder's package). */
  onnx?: string;
}

/** The manifest (Contract 1) of a package that the ONNX builder wrote from a ModelConfig. */
export function manifestForBuiltModel(d: PackageDescription): ModelManifest {
  if (d.vocab.length !== d.config.vocabSize) {
    throw new Error(
      `the vocabulary has ${d.vocab.length} tokens, but the config says ${d.config.vocabSize}`,
    );
  }
  return {
    format: 'unmask.model/1',
    id: d.id,
    title: d.title,
    description: d.description,
    kind: d.kind,
    onnx: d.onnx ?? 'model.onnx',
    io: {
      tokens: 'tokens',
      t: d.config.timeConditioning ? 't' : null,
      logits: 'logits',
      tokenType: 'int32',
    },
    seqLen: d.config.seqLen,
    vocab: d.vocab,
    special: d.special,
    architecture: { ...d.config },
    training: d.training,
  };
}

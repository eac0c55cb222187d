import { validateConfig, type ModelConfig } from './config';
import { initParameters } from './init';
import type { ModelManifest } from './manifest';
import { buildOnnxModel } from './onnx/buildOnnxModel';
import { manifestForBuiltModel } from './packageManifest';
import { buildParameterLayout } from './parameterLayout';

/**
 * A package with a trained model's architecture at another window length and seeded random
 * weights. A model call costs the same whatever the weights hold, so such a package measures
 * how long a window of that length takes; what it writes is noise, and its manifest says so.
 */
export interface TimingPackage {
  manifest: ModelManifest;
  onnx: Uint8Array;
}

const CONFIG_KEYS = [
  'vocabSize',
  'seqLen',
  'dModel',
  'heads',
  'layers',
  'ffn',
  'timeConditioning',
  'causal',
  'layerNormEps',
] as const;

/** The ModelConfig a package of this project records under "architecture", or why there is none. */
export function configOfManifest(manifest: ModelManifest): ModelConfig {
  const arch = manifest.architecture ?? {};
  const missing = CONFIG_KEYS.filter((k) => arch[k] === undefined);
  if (missing.length) {
    throw new Error(
      `${manifest.id}: the manifest's "architecture" lacks ${missing.join(', ')}, so its network cannot be rebuilt`,
    );
  }
  const config = Object.fromEntries(CONFIG_KEYS.map((k) => [k, arch[k]])) as unknown as ModelConfig;
  validateConfig(config);
  if (config.vocabSize !== manifest.vocab.length) {
    throw new Error(
      `${manifest.id}: architecture.vocabSize ${config.vocabSize} ≠ ${manifest.vocab.length} vocabulary entries`,
    );
  }
  return config;
}

export function buildTimingPackage(
  trained: ModelManifest,
  seqLen: number,
  seed = 1,
): TimingPackage {
  const config: ModelConfig = { ...configOfManifest(trained), seqLen };
  validateConfig(config);
  const layout = buildParameterLayout(config);
  const params = initParameters(layout, seed, (n) => new Float32Array(n));
  const { mask, pad, eos } = trained.special;
  if (pad === undefined || eos === undefined) {
    throw new Error(`${trained.id}: the manifest names no [PAD] or [EOS] id`);
  }
  const manifest = manifestForBuiltModel({
    id: `${trained.id}-timing-${seqLen}`,
    title: `${trained.title}: untrained, window ${seqLen} (timing only)`,
    description: `The architecture of ${trained.id} at a ${seqLen}-token window with random weights (seed ${seed}): a model call costs what a trained one would, but its samples are noise.`,
    kind: trained.kind,
    config,
    vocab: trained.vocab.slice(),
    special: { mask, pad, eos },
    training: { untrained: true, initSeed: seed, architectureOf: trained.id },
  });
  const onnx = buildOnnxModel(layout, params, { producer: 'unmask timing package' });
  return { manifest, onnx };
}

import { Rng } from '../core/rng';
import { LAYER_NORM_EPS, type ModelConfig } from './config';
import type { FloatArray, ParameterLayout } from './parameterLayout';

/**
 * Small networks for the tests of the CPU reference. Not used by the app; lives next to the
 * code so the forward, backward and trainer tests share one definition.
 */
export function tinyConfig(overrides: Partial<ModelConfig> = {}): ModelConfig {
  return {
    vocabSize: 7,
    seqLen: 5,
    dModel: 8,
    heads: 2,
    layers: 2,
    ffn: 12,
    timeConditioning: true,
    causal: false,
    layerNormEps: LAYER_NORM_EPS,
    ...overrides,
  };
}

/**
 * Parameters far from init (every entry random, gains around 1, scale 0.5) so that every path
 * of the network carries signal: attention is not uniform, GELU is not linear, no bias is zero.
 */
export function randomParameters<T extends FloatArray>(
  layout: ParameterLayout,
  seed: number,
  make: (n: number) => T,
  scale = 0.5,
): T {
  const rng = new Rng(seed);
  const flat = make(layout.total);
  for (const spec of layout.specs) {
    const base = spec.init === 'ones' ? 1 : 0;
    const std = spec.init === 'ones' ? 0.2 : scale;
    for (let i = 0; i < spec.size; i++) flat[spec.offset + i] = base + std * rng.normal();
  }
  return flat;
}

/** Uniform random token ids in [0, vocab). */
export function randomTokens(rng: Rng, count: number, vocab: number): Int32Array {
  const tokens = new Int32Array(count);
  for (let i = 0; i < count; i++) tokens[i] = rng.int(vocab);
  return tokens;
}

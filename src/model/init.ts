import { Rng } from '../core/rng';
import type { FloatArray, ParameterLayout } from './parameterLayout';

/** GPT-2 style init: N(0, std) for matrices and embeddings, zeros for biases, ones for gains. */
export function initParameters<T extends FloatArray>(
  layout: ParameterLayout,
  seed: number,
  make: (n: number) => T,
  std = 0.02,
): T {
  const rng = new Rng(seed);
  const flat = make(layout.total);
  for (const spec of layout.specs) {
    for (let i = 0; i < spec.size; i++) {
      const j = spec.offset + i;
      flat[j] = spec.init === 'normal' ? rng.normal() * std : spec.init === 'ones' ? 1 : 0;
    }
  }
  return flat;
}

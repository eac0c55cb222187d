import { type ModelConfig, validateConfig } from './config';

/**
 * Every parameter of the network as a named slice of one flat array. Names double as the ONNX
 * initializer names; the order is the order of the flat array (and of checkpoints).
 */
export interface ParameterSpec {
  name: string;
  shape: number[];
  offset: number;
  size: number;
  /** How init fills it. */
  init: 'normal' | 'zeros' | 'ones';
}

export interface ParameterLayout {
  config: ModelConfig;
  specs: ParameterSpec[];
  byName: Map<string, ParameterSpec>;
  total: number;
}

export type FloatArray = Float32Array | Float64Array;

export function layerPrefix(layer: number): string {
  return `layers.${layer}`;
}

export function buildParameterLayout(config: ModelConfig): ParameterLayout {
  validateConfig(config);
  const { vocabSize: V, seqLen: L, dModel: d, ffn: f } = config;
  const specs: ParameterSpec[] = [];
  let offset = 0;
  const add = (name: string, shape: number[], init: ParameterSpec['init']) => {
    const size = shape.reduce((a, b) => a * b, 1);
    specs.push({ name, shape, offset, size, init });
    offset += size;
  };
  add('tok_emb', [V, d], 'normal');
  add('pos_emb', [L, d], 'normal');
  if (config.timeConditioning) {
    add('time_w', [1, d], 'normal');
    add('time_b', [d], 'zeros');
  }
  for (let l = 0; l < config.layers; l++) {
    const p = layerPrefix(l);
    add(`${p}.ln1.gamma`, [d], 'ones');
    add(`${p}.ln1.beta`, [d], 'zeros');
    add(`${p}.attn.wq`, [d, d], 'normal');
    add(`${p}.attn.bq`, [d], 'zeros');
    add(`${p}.attn.wk`, [d, d], 'normal');
    add(`${p}.attn.bk`, [d], 'zeros');
    add(`${p}.attn.wv`, [d, d], 'normal');
    add(`${p}.attn.bv`, [d], 'zeros');
    add(`${p}.attn.wo`, [d, d], 'normal');
    add(`${p}.attn.bo`, [d], 'zeros');
    add(`${p}.ln2.gamma`, [d], 'ones');
    add(`${p}.ln2.beta`, [d], 'zeros');
    add(`${p}.mlp.w1`, [d, f], 'normal');
    add(`${p}.mlp.b1`, [f], 'zeros');
    add(`${p}.mlp.w2`, [f, d], 'normal');
    add(`${p}.mlp.b2`, [d], 'zeros');
  }
  add('lnf.gamma', [d], 'ones');
  add('lnf.beta', [d], 'zeros');
  add('head.w', [d, V], 'normal');
  add('head.b', [V], 'zeros');
  return { config, specs, byName: new Map(specs.map((s) => [s.name, s])), total: offset };
}

/** A view of one parameter inside the flat array (shares memory). */
export function paramView<T extends FloatArray>(layout: ParameterLayout, flat: T, name: string): T {
  const spec = layout.byName.get(name);
  if (!spec) throw new Error(`unknown parameter ${name}`);
  return flat.subarray(spec.offset, spec.offset + spec.size) as T;
}

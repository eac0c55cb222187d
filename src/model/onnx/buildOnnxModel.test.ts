import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import type { onnx } from 'onnx-proto';
import { Rng } from '../../core/rng';
import { LAYER_NORM_EPS, type ModelConfig } from '../config';
import { initParameters } from '../init';
import { buildParameterLayout } from '../parameterLayout';
import { CAUSAL_MASK_VALUE, buildOnnxModel } from './buildOnnxModel';

const { onnx: proto } = onnxProto;

const config = (overrides: Partial<ModelConfig> = {}): ModelConfig => ({
  vocabSize: 9,
  seqLen: 6,
  dModel: 8,
  heads: 2,
  layers: 2,
  ffn: 16,
  timeConditioning: true,
  causal: false,
  layerNormEps: LAYER_NORM_EPS,
  ...overrides,
});

const decode = (bytes: Uint8Array) => proto.ModelProto.decode(bytes);
const graphOf = (bytes: Uint8Array) => decode(bytes).graph as onnx.GraphProto;

function randomModel(overrides: Partial<ModelConfig> = {}, seed = 1) {
  const layout = buildParameterLayout(config(overrides));
  const params = initParameters(layout, seed, (n) => new Float64Array(n), 0.3);
  return { layout, params, bytes: buildOnnxModel(layout, params) };
}

function constantValue(graph: onnx.GraphProto, name: string): onnx.ITensorProto | undefined {
  const node = graph.node.find((n) => n.opType === 'Constant' && n.output?.[0] === name);
  return node?.attribute?.[0]?.t ?? undefined;
}

const float32s = (raw: Uint8Array) => {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return Array.from({ length: raw.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
};

// What onnxruntime-web's WebGPU execution provider runs natively (plus CPU-side shape ops).
const WEBGPU_FRIENDLY_OPS = new Set([
  'Add',
  'Concat',
  'Constant',
  'Gather',
  'LayerNormalization',
  'MatMul',
  'Mul',
  'Reshape',
  'Shape',
  'Slice',
  'Softmax',
  'Tanh',
  'Transpose',
  'Unsqueeze',
]);

describe('buildOnnxModel', () => {
  it('declares IR 8 and the default opset 17', () => {
    const model = decode(randomModel().bytes);
    expect(Number(model.irVersion)).toBe(8);
    expect(model.opsetImport.map((o) => [o.domain, Number(o.version)])).toEqual([['', 17]]);
    expect(model.producerName).toBe('unmask');
  });

  it('stores every parameter as a float32 initializer named and shaped as in the layout', () => {
    const { layout, params, bytes } = randomModel();
    const inits = graphOf(bytes).initializer;
    expect(inits.map((t) => t.name)).toEqual(layout.specs.map((s) => s.name));
    for (const [i, spec] of layout.specs.entries()) {
      expect(inits[i].dims?.map(Number)).toEqual(spec.shape);
      expect(inits[i].dataType).toBe(proto.TensorProto.DataType.FLOAT);
      const expected = Array.from(
        params.subarray(spec.offset, spec.offset + spec.size),
        Math.fround,
      );
      expect(float32s(inits[i].rawData as Uint8Array)).toEqual(expected);
    }
  });

  it('is deterministic, and the bytes depend on the weights', () => {
    const a = randomModel({}, 5);
    const b = buildOnnxModel(a.layout, a.params.slice());
    expect(b).toEqual(a.bytes);
    expect(randomModel({}, 6).bytes).not.toEqual(a.bytes);
  });

  it('names inputs and outputs as asked, with t only when time-conditioned', () => {
    const { layout, params } = randomModel();
    const io = { tokens: 'x_t', t: 'ratio', logits: 'scores' };
    const graph = graphOf(buildOnnxModel(layout, params, { io }));
    expect(graph.input.map((v) => v.name)).toEqual(['x_t', 'ratio']);
    expect(graph.output.map((v) => v.name)).toEqual(['scores']);

    const plain = graphOf(randomModel({ timeConditioning: false }).bytes);
    expect(plain.input.map((v) => v.name)).toEqual(['tokens']);
    expect(plain.node.some((n) => n.input?.includes('t'))).toBe(false);
  });

  it('carries a [seqLen, seqLen] causal mask only in causal models', () => {
    const S = 6;
    const causal = graphOf(randomModel({ causal: true }).bytes);
    const mask = constantValue(causal, 'const.causal_mask');
    expect(mask?.dims?.map(Number)).toEqual([S, S]);
    const values = float32s(mask?.rawData as Uint8Array);
    for (let i = 0; i < S; i++) {
      for (let j = 0; j < S; j++) {
        expect(values[i * S + j]).toBe(j > i ? Math.fround(CAUSAL_MASK_VALUE) : 0);
      }
    }
    const bidirectional = graphOf(randomModel({ causal: false }).bytes);
    expect(constantValue(bidirectional, 'const.causal_mask')).toBeUndefined();
  });

  it('writes the epsilon and the attention scale the config implies', () => {
    const graph = graphOf(randomModel({ layerNormEps: 1e-6, dModel: 12, heads: 3 }).bytes);
    const norms = graph.node.filter((n) => n.opType === 'LayerNormalization');
    expect(norms).toHaveLength(2 * 2 + 1);
    for (const n of norms) {
      const eps = n.attribute?.find((a) => a.name === 'epsilon');
      expect(eps?.f).toBeCloseTo(1e-6, 12);
    }
    const scale = constantValue(graph, 'const.attn_scale');
    expect(float32s(scale?.rawData as Uint8Array)).toEqual([Math.fround(1 / 2)]); // dHead = 4
  });

  it('lists nodes in dependency order and sticks to WebGPU-friendly ops', () => {
    for (const causal of [false, true]) {
      const graph = graphOf(randomModel({ causal }).bytes);
      const known = new Set<string>([
        ...graph.input.map((v) => v.name ?? ''),
        ...graph.initializer.map((t) => t.name ?? ''),
      ]);
      for (const n of graph.node) {
        for (const input of n.input ?? [])
          expect(known.has(input), `${n.name} <- ${input}`).toBe(true);
        for (const output of n.output ?? []) known.add(output);
        expect(WEBGPU_FRIENDLY_OPS.has(n.opType ?? ''), n.opType ?? '').toBe(true);
      }
      expect(known.has('logits')).toBe(true);
    }
  });

  it('costs 4 bytes per parameter plus a small graph', () => {
    // Graph text is about 4 kB per layer (node and tensor names), the causal mask 4·seqLen² bytes.
    for (const layers of [1, 3]) {
      const S = 16;
      const layout = buildParameterLayout(
        config({ vocabSize: 40, seqLen: S, dModel: 64, heads: 4, layers, ffn: 256, causal: true }),
      );
      const params = initParameters(layout, 2, (n) => new Float32Array(n));
      const overhead = buildOnnxModel(layout, params).length - 4 * layout.total;
      expect(overhead).toBeGreaterThan(4 * S * S);
      expect(overhead).toBeLessThan(2500 + 4500 * layers + 4 * S * S);
    }
  });

  it('refuses a parameter array that does not match the layout', () => {
    const { layout, params } = randomModel();
    expect(() => buildOnnxModel(layout, params.subarray(1))).toThrow(/expected \d+ parameters/);
  });

  it('encodes float64 and float32 weights to the same file', () => {
    const layout = buildParameterLayout(config());
    const wide = initParameters(layout, 3, (n) => new Float64Array(n), 0.2);
    const rng = new Rng(4);
    for (let i = 0; i < wide.length; i++) wide[i] = Math.fround(wide[i] + rng.normal() * 1e-3);
    expect(buildOnnxModel(layout, Float32Array.from(wide))).toEqual(buildOnnxModel(layout, wide));
  });
});

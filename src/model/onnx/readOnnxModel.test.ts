import { describe, expect, it } from 'vitest';
import onnxProto from 'onnx-proto';
import { Rng } from '../../core/rng';
import { LAYER_NORM_EPS, type ModelConfig } from '../config';
import { initParameters } from '../init';
import { buildParameterLayout } from '../parameterLayout';
import { buildOnnxModel } from './buildOnnxModel';
import { readOnnxModel } from './readOnnxModel';

const { onnx: proto } = onnxProto;
const DataType = proto.TensorProto.DataType;

const config = (overrides: Partial<ModelConfig> = {}): ModelConfig => ({
  vocabSize: 23,
  seqLen: 10,
  dModel: 12,
  heads: 3,
  layers: 2,
  ffn: 20,
  timeConditioning: true,
  causal: false,
  layerNormEps: LAYER_NORM_EPS,
  ...overrides,
});

function built(overrides: Partial<ModelConfig> = {}, io?: Record<string, string>) {
  const layout = buildParameterLayout(config(overrides));
  const params = initParameters(layout, 1, (n) => new Float32Array(n));
  return { layout, summary: readOnnxModel(buildOnnxModel(layout, params, { io })) };
}

describe('readOnnxModel on the builder output', () => {
  it('reports the interface of a time-conditioned model', () => {
    const { layout, summary } = built();
    expect(summary.irVersion).toBe(8);
    expect(summary.opset).toBe(17);
    expect(summary.producer).toBe('unmask');
    expect(summary.inputs).toEqual([
      { name: 'tokens', type: 'int32', shape: ['batch', 'length'], rank: 2 },
      { name: 't', type: 'float32', shape: ['batch', 1], rank: 2 },
    ]);
    expect(summary.outputs).toEqual([
      { name: 'logits', type: 'float32', shape: ['batch', 'length', 23], rank: 3 },
    ]);
    expect(summary.initializerCount).toBe(layout.specs.length);
    expect(summary.parameterCount).toBe(layout.total);
    expect(summary.opTypes).toContain('LayerNormalization');
    expect(summary.opTypes).toContain('Unsqueeze');
  });

  it('follows custom io names and drops t without time conditioning', () => {
    const { layout, summary } = built(
      { timeConditioning: false, causal: true },
      {
        tokens: 'x_t',
        logits: 'out',
      },
    );
    expect(summary.inputs.map((v) => v.name)).toEqual(['x_t']);
    expect(summary.outputs.map((v) => [v.name, v.shape])).toEqual([
      ['out', ['batch', 'length', 23]],
    ]);
    expect(summary.parameterCount).toBe(layout.total);
    expect(summary.opTypes).not.toContain('Unsqueeze');
  });
});

describe('readOnnxModel on foreign models', () => {
  // A torch.onnx.export-like file: int64 tokens, an unnamed dimension, a shapeless output,
  // initializers also listed as inputs (IR < 4 style), a constant in the initializers.
  function foreignModel(): Uint8Array {
    const model = proto.ModelProto.create({
      irVersion: 3,
      producerName: 'pytorch',
      opsetImport: [
        { domain: 'com.microsoft', version: 1 },
        { domain: 'ai.onnx', version: 13 },
      ],
      graph: {
        name: 'g',
        node: [
          { opType: 'Gather', input: ['emb', 'x'], output: ['h'] },
          { opType: 'Mul', input: ['h', 'two'], output: ['y'] },
        ],
        initializer: [
          { name: 'emb', dims: [50, 4], dataType: DataType.FLOAT, rawData: new Uint8Array(800) },
          { name: 'two', dims: [], dataType: DataType.FLOAT, floatData: [2] },
        ],
        input: [
          {
            name: 'x',
            type: {
              tensorType: { elemType: DataType.INT64, shape: { dim: [{ dimValue: 2 }, {}] } },
            },
          },
          {
            name: 'emb',
            type: {
              tensorType: {
                elemType: DataType.FLOAT,
                shape: { dim: [{ dimValue: 50 }, { dimValue: 4 }] },
              },
            },
          },
        ],
        output: [{ name: 'y', type: { tensorType: { elemType: DataType.DOUBLE } } }],
      },
    });
    return proto.ModelProto.encode(model).finish();
  }

  it('reads types, open dimensions and parameter counts', () => {
    const summary = readOnnxModel(foreignModel());
    expect(summary.irVersion).toBe(3);
    expect(summary.opset).toBe(13);
    expect(summary.producer).toBe('pytorch');
    expect(summary.inputs).toEqual([{ name: 'x', type: 'int64', shape: [2, null], rank: 2 }]);
    expect(summary.outputs).toEqual([{ name: 'y', type: 'float64', shape: [], rank: null }]);
    expect(summary.opTypes).toEqual(['Gather', 'Mul']);
    expect(summary.initializerCount).toBe(2);
    expect(summary.parameterCount).toBe(50 * 4 + 1);
  });
});

describe('readOnnxModel on things that are not ONNX models', () => {
  it('refuses bytes that do not decode', () => {
    const rng = new Rng(11);
    for (let k = 0; k < 20; k++) {
      const junk = Uint8Array.from({ length: 64 + rng.int(512) }, () => rng.int(256));
      expect(() => readOnnxModel(junk)).toThrow(/^not an ONNX model: /);
    }
    const text = new TextEncoder().encode('{"format": "unmask.model/1", "id": "toy"}');
    expect(() => readOnnxModel(text)).toThrow(/^not an ONNX model: /);
  });

  it('refuses a valid protobuf with no graph', () => {
    expect(() => readOnnxModel(new Uint8Array(0))).toThrow(/not an ONNX model: .*no graph/);
    const headerOnly = proto.ModelProto.encode({ irVersion: 8, producerName: 'x' }).finish();
    expect(() => readOnnxModel(headerOnly)).toThrow(/not an ONNX model: .*no graph/);
  });

  it('refuses a truncated model file', () => {
    const layout = buildParameterLayout(config());
    const bytes = buildOnnxModel(
      layout,
      initParameters(layout, 1, (n) => new Float32Array(n)),
    );
    expect(() => readOnnxModel(bytes.subarray(0, bytes.length - 100))).toThrow(
      /^not an ONNX model: /,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { LAYER_NORM_EPS, type ModelConfig } from '../config';
import { initParameters } from '../init';
import { buildParameterLayout } from '../parameterLayout';
import { buildOnnxModel } from './buildOnnxModel';
import { readOnnxWeights } from './readOnnxWeights';

const config: ModelConfig = {
  vocabSize: 9,
  seqLen: 5,
  dModel: 8,
  heads: 2,
  layers: 2,
  ffn: 12,
  timeConditioning: true,
  causal: false,
  layerNormEps: LAYER_NORM_EPS,
};

describe('readOnnxWeights', () => {
  it('gives back exactly the float32 weights the builder wrote', () => {
    const layout = buildParameterLayout(config);
    const params = initParameters(layout, 3, (n) => new Float32Array(n), 0.3);
    expect(readOnnxWeights(buildOnnxModel(layout, params), layout)).toEqual(params);
  });

  it('refuses a model of another architecture, naming the parameter', () => {
    const layout = buildParameterLayout(config);
    const bytes = buildOnnxModel(
      layout,
      initParameters(layout, 3, (n) => new Float32Array(n)),
    );
    const wider = buildParameterLayout({ ...config, ffn: 16 });
    expect(() => readOnnxWeights(bytes, wider)).toThrow(/"layers.0.mlp.w1" is not 128 float32/);
    const deeper = buildParameterLayout({ ...config, layers: 3 });
    expect(() => readOnnxWeights(bytes, deeper)).toThrow(/no initializer "layers.2.ln1.gamma"/);
  });
});

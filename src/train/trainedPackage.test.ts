import { describe, expect, it } from 'vitest';
import { getCorpus } from '../core/corpus';
import { initParameters } from '../model/init';
import { parseManifest } from '../model/manifest';
import { readOnnxModel } from '../model/onnx/readOnnxModel';
import { buildParameterLayout } from '../model/parameterLayout';
import { buildTrainedPackage, finalLoss } from './trainedPackage';
import { configForPreset, DEFAULT_SETTINGS } from './trainingProtocol';

describe('buildTrainedPackage', () => {
  const corpus = getCorpus('toy-sentences');
  const layout = buildParameterLayout(configForPreset('tiny', corpus.vocab.size, corpus.seqLen));
  const params = initParameters(layout, 3, (n) => new Float32Array(n));
  const history = Array.from({ length: 25 }, (_, i) => ({
    step: i + 1,
    loss: i < 5 ? 9 : 2,
    lr: 1,
    span: 1,
  }));

  it('writes a valid manifest with the training record, and the ONNX graph of the weights', () => {
    const pkg = buildTrainedPackage(layout, params, corpus, {
      settings: { ...DEFAULT_SETTINGS, preset: 'tiny', batch: 8, lr: 0.01 },
      step: 25,
      history,
      backend: 'webgpu',
    });
    const manifest = parseManifest(JSON.parse(pkg.manifestJson));
    expect(manifest.title).toBe('Trained in this page (tiny, 25 steps)');
    // Named after the model, the manifest pointing at its own .onnx.
    expect(manifest.id).toBe('trained-toy-sentences-tiny-25');
    expect(pkg.files).toEqual({
      onnx: 'trained-toy-sentences-tiny-25.onnx',
      manifest: 'trained-toy-sentences-tiny-25.manifest.json',
    });
    expect(manifest.onnx).toBe(pkg.files.onnx);
    expect(manifest.architecture).toEqual(layout.config);
    expect(manifest.vocab).toEqual(corpus.vocab.tokens);
    expect(manifest.training).toMatchObject({
      steps: 25,
      batch: 8,
      lr: 0.01,
      weighting: 'elbo',
      backend: 'webgpu',
      finalLoss: 2, // the last 20 losses are all 2
    });
    const onnx = readOnnxModel(new Uint8Array(pkg.onnx));
    expect(onnx.inputs.map((i) => i.name)).toEqual(['tokens', 't']);
    // Every learned weight is an initializer (plus the graph's few constants).
    expect(onnx.parameterCount).toBeGreaterThanOrEqual(layout.total);
    expect(onnx.parameterCount).toBeLessThan(layout.total + 64);
  });

  it('quotes the mean of the last 20 losses', () => {
    expect(finalLoss([])).toBeNull();
    expect(finalLoss(history.slice(0, 10))).toBe((5 * 9 + 5 * 2) / 10);
  });

  it('over a thinned history, quotes the last points covering 20 steps or more, by their steps', () => {
    const thinned = [
      { step: 16, loss: 9, lr: 1, span: 16 },
      { step: 32, loss: 4, lr: 1, span: 16 },
      { step: 40, loss: 1, lr: 1, span: 8 },
    ];
    // The last two points: 24 steps, 16 at 4 and 8 at 1.
    expect(finalLoss(thinned)).toBe((16 * 4 + 8 * 1) / 24);
  });
});

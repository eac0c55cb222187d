import { describe, expect, it } from 'vitest';
import { initParameters } from './init';
import { parseManifest } from './manifest';
import { readOnnxModel } from './onnx/readOnnxModel';
import { readOnnxWeights } from './onnx/readOnnxWeights';
import { buildParameterLayout } from './parameterLayout';
import { buildTimingPackage, configOfManifest } from './timingPackage';
import { tinyConfig } from './testNetworks';
import { manifestForBuiltModel } from './packageManifest';

const trained = manifestForBuiltModel({
  id: 'tiny',
  title: 'Tiny',
  description: '',
  kind: 'autoregressive',
  config: tinyConfig({ causal: true, timeConditioning: false }),
  vocab: ['[MASK]', '[PAD]', '[EOS]', 'a', 'b', 'c', 'd'],
  special: { mask: 0, pad: 1, eos: 2 },
  training: { steps: 10 },
});

describe('buildTimingPackage', () => {
  it('keeps the architecture, kind and vocabulary and changes only the window length', () => {
    const pkg = buildTimingPackage(trained, 12, 3);
    expect(parseManifest(JSON.parse(JSON.stringify(pkg.manifest)))).toBeTruthy();
    expect(pkg.manifest.seqLen).toBe(12);
    expect(pkg.manifest.kind).toBe('autoregressive');
    expect(pkg.manifest.io.t).toBeNull();
    expect(pkg.manifest.vocab).toEqual(trained.vocab);
    expect(configOfManifest(pkg.manifest)).toEqual({ ...configOfManifest(trained), seqLen: 12 });
    expect(pkg.manifest.training).toMatchObject({ untrained: true });
  });

  it('writes the seeded initial weights of the layout at the new window', () => {
    const pkg = buildTimingPackage(trained, 12, 5);
    const graph = readOnnxModel(pkg.onnx);
    expect(graph.inputs.map((i) => i.name)).toEqual(['tokens']);
    const layout = buildParameterLayout(configOfManifest(pkg.manifest));
    // One positional row per position of the new window: 12 · dModel more than none.
    expect(layout.specs.find((s) => s.name === 'pos_emb')?.shape).toEqual([12, 8]);
    expect(readOnnxWeights(pkg.onnx, layout)).toEqual(
      initParameters(layout, 5, (n) => new Float32Array(n)),
    );
  });

  it('refuses a manifest without the architecture to rebuild', () => {
    expect(() => buildTimingPackage({ ...trained, architecture: { dModel: 8 } }, 12)).toThrow(
      /lacks vocabSize, seqLen, heads/,
    );
  });
});

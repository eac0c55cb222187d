import { describe, expect, it } from 'vitest';
import { readPackageDrop } from './packageDrop';

const f = (name: string) => ({ name });

describe('a dropped model package', () => {
  it('tells the model from the manifest by extension, and takes an unknown second file as the other part', () => {
    const [onnx, manifest] = [f('article.onnx'), f('manifest.json')];
    expect(readPackageDrop([manifest, onnx])).toEqual({ onnx, manifest });
    const bin = f('article.bin');
    expect(readPackageDrop([manifest, bin])).toEqual({ onnx: bin, manifest });
    expect(readPackageDrop([manifest])).toEqual({ onnx: undefined, manifest });
  });

  it('names two models as two models and no manifest, never reading one as the manifest', () => {
    const reading = readPackageDrop([f('article.onnx'), f('other.ONNX')]);
    expect(reading).toEqual({
      problem: {
        summary:
          'A model package is two files: the .onnx model and its manifest.json. Both dropped files are models (article.onnx, other.ONNX), and no manifest.json was dropped.',
        problems: ['the manifest (.json) file is missing', 'drop one .onnx model only'],
      },
    });
  });

  it('names two manifests, and more than two files', () => {
    expect(readPackageDrop([f('a.json'), f('b.json')]).problem?.summary).toMatch(
      /Both dropped files are manifests \(a\.json, b\.json\), and no \.onnx model was dropped\.$/,
    );
    expect(readPackageDrop([f('a.onnx'), f('m.json'), f('c.txt')]).problem?.summary).toMatch(
      /Drop only those two \(dropped 3 files: a\.onnx, m\.json, c\.txt\)\.$/,
    );
  });
});

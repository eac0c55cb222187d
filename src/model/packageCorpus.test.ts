import { describe, expect, it } from 'vitest';
import { getCorpus } from '../core/corpus';
import type { ModelManifest } from './manifest';
import { packageCorpus } from './packageCorpus';

const toy = getCorpus('toy-sentences');
const manifest = (vocab: string[], corpus?: string): ModelManifest => ({
  format: 'unmask.model/1',
  id: 'm',
  title: 'M',
  description: '',
  kind: 'masked-diffusion',
  onnx: 'model.onnx',
  io: { tokens: 'tokens', t: null, logits: 'logits', tokenType: 'int32' },
  seqLen: 16,
  vocab,
  special: { mask: 0, pad: 1, eos: 2 },
  training: corpus ? { corpus } : undefined,
});

describe('packageCorpus', () => {
  it('finds the corpus whose vocabulary the package has, id for id', () => {
    expect(packageCorpus(manifest(toy.vocab.tokens.slice(), 'toy-sentences'))).toBe(toy);
    expect(packageCorpus(manifest(toy.vocab.tokens.slice()))).toBe(toy);
  });

  it('refuses a package whose vocabulary is ordered differently', () => {
    const swapped = toy.vocab.tokens.slice();
    [swapped[3], swapped[4]] = [swapped[4], swapped[3]];
    expect(packageCorpus(manifest(swapped, 'toy-sentences'))).toBeNull();
  });
});

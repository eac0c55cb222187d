import { describe, expect, it } from 'vitest';
import type { ModelManifest } from './manifest';
import { twinPairProblems } from './twinPair';

const base = (over: Partial<ModelManifest>): ModelManifest => ({
  format: 'unmask.model/1',
  id: 'm',
  title: 'M',
  description: '',
  kind: 'masked-diffusion',
  onnx: 'model.onnx',
  io: { tokens: 'tokens', t: 't', logits: 'logits', tokenType: 'int32' },
  seqLen: 16,
  vocab: ['[MASK]', '[PAD]', '[EOS]', 'the', 'cat'],
  special: { mask: 0, pad: 1, eos: 2 },
  ...over,
});

describe('twinPairProblems', () => {
  it('accepts a diffusion model and its causal twin of the same window and vocabulary', () => {
    expect(twinPairProblems(base({}), base({ id: 'm-ar', kind: 'autoregressive' }))).toEqual([]);
  });

  it('names every difference', () => {
    const problems = twinPairProblems(
      base({ kind: 'autoregressive', id: 'a' }),
      base({ id: 'b', seqLen: 32, vocab: ['[MASK]', '[PAD]', '[EOS]', 'the', 'dog'] }),
    );
    expect(problems).toEqual([
      'a is autoregressive, not masked-diffusion',
      'b is masked-diffusion, not autoregressive',
      'the windows differ: 16 and 32 tokens',
      'the vocabularies differ at id 4: "cat" and "dog"',
    ]);
  });
});

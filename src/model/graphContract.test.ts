import { describe, expect, it } from 'vitest';
import { checkGraphAgainstManifest, checkLogitsSize, type GraphSignature } from './graphContract';
import { parseManifest } from './manifest';

const manifest = parseManifest({
  format: 'unmask.model/1',
  id: 'toy',
  title: 'Toy',
  kind: 'masked-diffusion',
  onnx: 'model.onnx',
  io: { tokens: 'tokens', t: 't', logits: 'logits', tokenType: 'int32' },
  seqLen: 16,
  vocab: ['[MASK]', '[PAD]', '[EOS]', 'a', 'b'],
  special: { mask: 0, pad: 1, eos: 2 },
});

const good: GraphSignature = {
  inputs: [
    { name: 'tokens', type: 'int32', shape: ['batch', 'length'] },
    { name: 't', type: 'float32', shape: ['batch', 1] },
  ],
  outputs: [{ name: 'logits', type: 'float32', shape: ['batch', 'length', 5] }],
};

describe('checkGraphAgainstManifest', () => {
  it('accepts a graph that keeps the contract', () => {
    expect(checkGraphAgainstManifest(good, manifest)).toEqual([]);
  });

  it('reports a torch export (x_t int64) against a manifest that claims int32 tokens', () => {
    const torch: GraphSignature = {
      inputs: [
        { name: 'x_t', type: 'int64', shape: [1, 16] },
        { name: 't', type: 'float32', shape: [1, 1] },
      ],
      outputs: [{ name: 'logits', type: 'float32', shape: [1, 16, 7] }],
    };
    const problems = checkGraphAgainstManifest(torch, manifest);
    expect(problems).toEqual([
      'io.tokens names input "tokens", but the graph\'s inputs are "x_t", "t"',
      'the graph needs input "x_t", which the manifest\'s io does not name',
      'output "logits" has 7 logits per position, but the vocabulary has 5 tokens',
    ]);
    const fixed = {
      ...manifest,
      io: { ...manifest.io, tokens: 'x_t', tokenType: 'int64' as const },
    };
    expect(checkGraphAgainstManifest(torch, fixed)).toEqual([
      'output "logits" has 7 logits per position, but the vocabulary has 5 tokens',
    ]);
  });

  it('catches a wrong seqLen and a t input the manifest forgot', () => {
    const noT = { ...manifest, io: { ...manifest.io, t: null } };
    const fixedLen: GraphSignature = {
      ...good,
      inputs: [{ name: 'tokens', type: 'int32', shape: [1, 8] }, good.inputs[1]],
    };
    expect(checkGraphAgainstManifest(fixedLen, noT)).toEqual([
      'input "tokens" has length 8, but seqLen says 16',
      'the graph needs input "t", which the manifest\'s io does not name',
    ]);
  });

  it('checks the logits size of a real run', () => {
    expect(checkLogitsSize(2 * 16 * 5, 2, 16, manifest)).toEqual([]);
    expect(checkLogitsSize(2 * 16 * 7, 2, 16, manifest)[0]).toMatch(/7 logits per position/);
    expect(checkLogitsSize(33, 2, 16, manifest)[0]).toMatch(/33 logits/);
  });
});

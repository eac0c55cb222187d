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
    // The misnamed io.tokens is one mistake: the only integer input is suggested, and its
    // element type is checked at once rather than after the name is fixed.
    expect(checkGraphAgainstManifest(torch, manifest)).toEqual([
      '"io.tokens" names the input "tokens", but the model\'s inputs are "x_t", "t": set "io.tokens" to "x_t"',
      '"io.tokenType" says int32, but the model\'s input "x_t" holds int64: set "io.tokenType" to "int64"',
      '"vocab" lists 5 tokens, but the model gives 7 logits per position: "vocab" must list exactly one token per logit, in the model\'s order',
    ]);
    const fixed = {
      ...manifest,
      io: { ...manifest.io, tokens: 'x_t', tokenType: 'int64' as const },
    };
    expect(checkGraphAgainstManifest(torch, fixed)).toEqual([
      '"vocab" lists 5 tokens, but the model gives 7 logits per position: "vocab" must list exactly one token per logit, in the model\'s order',
    ]);
  });

  it('names every input when no single one fits a misnamed field', () => {
    const twoIntegerInputs: GraphSignature = {
      inputs: [
        { name: 'ids', type: 'int64', shape: ['b', 'l'] },
        { name: 'positions', type: 'int64', shape: ['b', 'l'] },
        { name: 'ratio', type: 'float32', shape: ['b', 1] },
      ],
      outputs: [{ name: 'out', type: 'float16', shape: ['b', 'l', 5] }],
    };
    expect(checkGraphAgainstManifest(twoIntegerInputs, manifest)).toEqual([
      '"io.tokens" names the input "tokens", but the model\'s inputs are "ids", "positions", "ratio": set it to the token input\'s name',
      '"io.t" names the input "t", but the model\'s inputs are "ids", "positions", "ratio": set "io.t" to "ratio"',
      'the model needs an input "ids" that the manifest\'s "io" does not name: name it in "io.tokens" or "io.t"',
      'the model needs an input "positions" that the manifest\'s "io" does not name: name it in "io.tokens" or "io.t"',
      '"io.logits" names the output "logits", but the model\'s outputs are "out": set it to the logits output\'s name',
    ]);
  });

  it('catches a wrong seqLen and a t input the manifest forgot', () => {
    const noT = { ...manifest, io: { ...manifest.io, t: null } };
    const fixedLen: GraphSignature = {
      ...good,
      inputs: [{ name: 'tokens', type: 'int32', shape: [1, 8] }, good.inputs[1]],
    };
    expect(checkGraphAgainstManifest(fixedLen, noT)).toEqual([
      '"seqLen" says 16, but the model\'s input "tokens" has a fixed length of 8: set "seqLen" to 8',
      'the model needs an input "t" that the manifest\'s "io" does not name: name it in "io.tokens" or "io.t"',
    ]);
  });

  it('refuses non-integer token ids, a non-float t and logits of the wrong type and rank', () => {
    const wrongTypes: GraphSignature = {
      inputs: [
        { name: 'tokens', type: 'float32', shape: ['batch', 'length'] },
        { name: 't', type: 'int64', shape: ['batch', 1] },
      ],
      outputs: [{ name: 'logits', type: 'float16', shape: ['batch', 5] }],
    };
    expect(checkGraphAgainstManifest(wrongTypes, manifest)).toEqual([
      '"io.tokenType" says int32, but the model\'s input "tokens" holds float32: token ids must be int32 or int64',
      'the model\'s input "t" ("io.t", the masking ratio) must be float32, but holds int64',
      'the model\'s output "logits" ("io.logits") must be float32, but holds float16',
      'the model\'s output "logits" must be [batch, length, vocabulary], but has 2 dimensions',
    ]);
  });

  it('checks the logits size of a real run', () => {
    expect(checkLogitsSize(2 * 16 * 5, 2, 16, manifest)).toEqual([]);
    expect(checkLogitsSize(2 * 16 * 7, 2, 16, manifest)).toEqual([
      '"vocab" lists 5 tokens, but the model gives 7 logits per position: "vocab" must list exactly one token per logit, in the model\'s order',
    ]);
    expect(checkLogitsSize(33, 2, 16, manifest)).toEqual([
      'the model returned 33 logits for 2×16 positions, which is not [batch, length, 5]: check "io.logits" and "seqLen"',
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { ManifestError, parseManifest } from './manifest';

const valid = {
  format: 'unmask.model/1',
  id: 'toy',
  title: 'Toy',
  description: 'a toy',
  kind: 'masked-diffusion',
  onnx: 'model.onnx',
  io: { tokens: 'tokens', t: 't', logits: 'logits', tokenType: 'int32' },
  seqLen: 16,
  vocab: ['[MASK]', '[PAD]', '[EOS]', 'the', 'cat'],
  special: { mask: 0, pad: 1, eos: 2 },
};

function problemsOf(m: unknown): string[] {
  try {
    parseManifest(m);
  } catch (e) {
    if (e instanceof ManifestError) return e.problems;
    throw e;
  }
  return [];
}

describe('parseManifest', () => {
  it('accepts a manifest that follows Contract 1, extra fields included', () => {
    expect(parseManifest({ ...valid, extra: 1 }).id).toBe('toy');
    expect(parseManifest({ ...valid, io: { ...valid.io, t: null } }).io.t).toBeNull();
  });

  it('names every wrong field at once', () => {
    const problems = problemsOf({
      ...valid,
      format: 'other',
      seqLen: 0,
      special: { mask: 9 },
      io: { tokens: 'tokens', t: 5, logits: '', tokenType: 'float' },
    });
    expect(problems.join('\n')).toMatch(/"format"/);
    expect(problems.join('\n')).toMatch(/"seqLen"/);
    expect(problems.join('\n')).toMatch(/"special.mask".*0\.\.4.*9/);
    expect(problems.join('\n')).toMatch(/"io.t"/);
    expect(problems.join('\n')).toMatch(/"io.logits"/);
    expect(problems.join('\n')).toMatch(/"io.tokenType"/);
    expect(problems).toHaveLength(6);
  });

  it('rejects duplicated vocabulary entries and non-objects', () => {
    expect(problemsOf({ ...valid, vocab: ['a', 'b', 'a'] })[0]).toMatch(/vocab\[2\]/);
    expect(problemsOf([])[0]).toMatch(/JSON object/);
  });
});

import { describe, expect, it } from 'vitest';
import { ManifestError, MAX_SEQ_LEN, parseManifest } from './manifest';

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

  it('says which fields are missing, each by name', () => {
    expect(problemsOf({ format: 'unmask.model/1', io: { t: null } })).toEqual([
      '"id" is missing (a non-empty string)',
      '"title" is missing (a non-empty string)',
      '"onnx" is missing (a non-empty string)',
      '"kind" is missing ("masked-diffusion" or "autoregressive")',
      '"seqLen" is missing (the window length, a positive integer)',
      '"vocab" is missing (an array with one token string per logit)',
      '"special" is missing (an object with at least "mask")',
      '"io.tokens" is missing (the name of the token input)',
      '"io.logits" is missing (the name of the logits output)',
      '"io.tokenType" is missing ("int32" or "int64")',
    ]);
    expect(problemsOf({})).toHaveLength(9);
    expect(problemsOf({})[0]).toBe('"format" is missing (it must be "unmask.model/1")');
  });

  it('names each bad vocabulary entry and special ids that collide', () => {
    expect(
      problemsOf({ ...valid, vocab: ['[MASK]', 7, 'the', 'the'], special: { mask: 0, pad: 0 } }),
    ).toEqual([
      '"vocab[1]" must be a string, got 7',
      '"vocab[3]" repeats the token "the" of "vocab[2]"',
      '"special.pad" and "special.mask" are both token 0',
    ]);
    // A vocabulary of many bad entries reports a few and counts the rest.
    const many = problemsOf({ ...valid, vocab: ['[MASK]', ...Array<number>(100).fill(1)] });
    expect(many).toHaveLength(9);
    expect(many[8]).toBe('… and 92 more problems in "vocab"');
  });

  it('refuses windows longer than the page runs, and says what it got for non-objects', () => {
    expect(problemsOf({ ...valid, seqLen: MAX_SEQ_LEN })).toEqual([]);
    expect(problemsOf({ ...valid, seqLen: 1e9 })).toEqual([
      `"seqLen" is 1000000000, but the page runs windows of at most ${MAX_SEQ_LEN} tokens`,
    ]);
    expect(problemsOf('manifest')).toEqual([
      'the manifest must be a JSON object ({ "format": "unmask.model/1", … }), got "manifest"',
    ]);
    expect(problemsOf(null)[0]).toMatch(/got null$/);
  });
});

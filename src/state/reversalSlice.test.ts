import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { BUILT_IN_COUPLETS, coupletVocabulary } from '../core/corpus';
import type { ModelManifest } from '../model/manifest';
import type { ModelSlice } from './modelSlice';
import { createReversalSlice, posableCount, type ReversalSlice } from './reversalSlice';

type State = ReversalSlice & Pick<ModelSlice, 'providerChoice'>;
const store = () =>
  createStore<State>()((...a) => ({ providerChoice: 'wasm', ...createReversalSlice(...a) }));

describe('the reversal lab data', () => {
  it('starts on our couplets and takes a valid file', () => {
    const s = store();
    expect(s.getState().reversalData).toEqual({ source: 'built-in', couplets: BUILT_IN_COUPLETS });
    s.getState().loadReversalFile('[{"first": "ab", "second": "cd", "source": "x"}]', 'mine.json');
    expect(s.getState().reversalData).toEqual({
      source: 'mine.json',
      couplets: [{ first: 'ab', second: 'cd' }],
    });
    s.getState().chooseBuiltInCouplets();
    expect(s.getState().reversalData.source).toBe('built-in');
  });

  it('refuses a bad file in words and keeps the couplets it had', () => {
    const s = store();
    s.getState().loadReversalFile('[{"first": "ab"}, 7]', 'bad.json');
    expect(s.getState().reversalFileProblem).toEqual({
      fileName: 'bad.json',
      errors: [
        'entry 1: "second" must be a string, got missing',
        'entry 2: expected an object {"first": …, "second": …}, got a number',
      ],
    });
    expect(s.getState().reversalData.source).toBe('built-in');
    s.getState().loadReversalFile('not json', 'worse.json');
    expect(s.getState().reversalFileProblem?.errors[0]).toMatch(/^not JSON: /);
    s.getState().loadReversalFile('[{"first": "a", "second": "b"}]', 'good.json');
    expect(s.getState().reversalFileProblem).toBeNull();
  });
});

describe('choosing a pair', () => {
  it('counts the couplets a package can be asked: known characters, in its window', () => {
    const vocab = coupletVocabulary([{ first: 'ab', second: 'cd' }]);
    const manifest = {
      id: 'tiny',
      kind: 'masked-diffusion',
      seqLen: 6,
      vocab: [...vocab.tokens],
      special: vocab.special,
      io: { tokens: 'tokens', t: null, logits: 'logits', tokenType: 'int32' },
    } as unknown as ModelManifest;
    const couplets = [
      { first: 'ab', second: 'cd' },
      { first: 'ba', second: 'dc' },
      { first: 'ax', second: 'cd' }, // x is unknown
      { first: 'abc', second: 'dd' }, // 3 + 2 + 2 > 6
    ];
    expect(posableCount(couplets, manifest)).toBe(2);
  });
});

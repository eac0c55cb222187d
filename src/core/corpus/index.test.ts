import { describe, expect, it } from 'vitest';
import { corpusNames, getCorpus } from './index';
import { toySentences } from './toySentences';

describe('corpus registry', () => {
  it('lists and returns the toy corpora by name', () => {
    expect(corpusNames()).toEqual(['toy-sentences', 'couplets']);
    expect(getCorpus('toy-sentences')).toBe(toySentences);
  });

  it('names the known corpora when asked for an unknown one', () => {
    expect(() => getCorpus('shakespeare')).toThrow(
      "unknown corpus 'shakespeare' (known: toy-sentences, couplets)",
    );
  });
});

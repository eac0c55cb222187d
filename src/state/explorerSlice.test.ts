import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { getCorpus } from '../core/corpus';
import {
  createExplorerSlice,
  DEFAULT_EXPLORER,
  explorerConfigFromHash,
  explorerConfigToHash,
  type ExplorerSlice,
} from './explorerSlice';

const store = () => createStore<ExplorerSlice>()((...a) => createExplorerSlice(...a));

describe('the explorer configuration in the URL hash', () => {
  it('round-trips a hand-picked configuration', () => {
    const config = {
      sentence: 'the cat sat here',
      t: 0.3,
      drawSeed: 42,
      picked: [false, true, false, true],
      scope: 'words' as const,
    };
    const hash = explorerConfigToHash(config);
    expect(hash).toEqual({
      'ex.sentence': 'the cat sat here',
      'ex.t': '0.3',
      'ex.draws': '42',
      'ex.mask': '0101',
      'ex.scope': 'words',
    });
    expect(explorerConfigFromHash(hash)).toEqual(config);
    const viaUrl = Object.fromEntries(new URLSearchParams(new URLSearchParams(hash).toString()));
    expect(explorerConfigFromHash(viaUrl)).toEqual(config);
  });

  it('reads an empty mask as "follow the draws" and falls back on bad values', () => {
    expect(explorerConfigFromHash({ 'ex.mask': '', 'ex.scope': 'window' })).toEqual({
      ...DEFAULT_EXPLORER,
      scope: 'window',
    });
    expect(
      explorerConfigFromHash({
        'ex.t': '1.5',
        'ex.draws': '-1',
        'ex.mask': '01x',
        'ex.sentence': ' ',
      }),
    ).toEqual(DEFAULT_EXPLORER);
    expect(explorerConfigFromHash({ 'ex.t': '0' }).t).toBe(0);
  });
});

describe('the explorer slice', () => {
  it('keeps t tidy and inside [0, 1]', () => {
    const s = store();
    s.getState().setMaskingRatio(0.29 + 0.01);
    expect(s.getState().explorer.t).toBe(0.3);
    s.getState().setMaskingRatio(1.2);
    expect(s.getState().explorer.t).toBe(1);
    s.getState().setMaskingRatio(NaN);
    expect(s.getState().explorer.t).toBe(1);
  });

  it("loads the article's two examples", () => {
    const s = store();
    s.getState().loadArticleExample('forward');
    expect(s.getState().explorer).toMatchObject({
      sentence: 'the cat sat here',
      t: 0.3,
      picked: [false, true, false, true],
      scope: 'words',
    });
    s.getState().loadArticleExample('loss');
    expect(s.getState().explorer).toMatchObject({ t: 0.5, picked: [false, true, true, false] });
  });

  it('drops a hand-picked configuration when the sentence, scope or draws change', () => {
    const s = store();
    const pick = () => s.getState().pickConfiguration([true, false]);
    pick();
    s.getState().setExplorerSentence('the cats sit');
    expect(s.getState().explorer.picked).toBeNull();
    pick();
    s.getState().setMaskScope('window');
    expect(s.getState().explorer.picked).toBeNull();
    pick();
    const seed = s.getState().explorer.drawSeed;
    s.getState().rerollDraws();
    expect(s.getState().explorer).toMatchObject({ picked: null, drawSeed: seed + 1 });
    pick();
    s.getState().setMaskingRatio(0.7); // t alone keeps the picked configuration
    expect(s.getState().explorer.picked).toEqual([true, false]);
    s.getState().followDraws();
    expect(s.getState().explorer.picked).toBeNull();
  });

  it('draws valid corpus sentences, reproducibly', () => {
    const corpus = getCorpus('toy-sentences');
    const a = store();
    const b = store();
    a.getState().drawCorpusSentence('toy-sentences');
    b.getState().drawCorpusSentence('toy-sentences');
    const sentence = a.getState().explorer.sentence;
    expect(sentence).toBe(b.getState().explorer.sentence);
    expect(corpus.isValid(sentence.split(' '))).toBe(true);
    a.getState().drawCorpusSentence('toy-sentences');
    expect(a.getState().explorer.sentence).not.toBe(sentence);
  });
});

import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../state/generationConfig';
import { STORIES, storyOf } from './stories';

describe('stories', () => {
  it('the page opens on the first story, the painter', () => {
    expect(STORIES[0].id).toBe('painter');
    expect(storyOf(DEFAULT_CONFIG)?.id).toBe('painter');
  });

  it('each story is recognised from its configuration, whatever the seed', () => {
    for (const story of STORIES) {
      const config = story.config({ ...DEFAULT_CONFIG, seed: 7 });
      expect(config.seed).toBe(7);
      expect(storyOf(config)?.id).toBe(story.id);
    }
  });

  it('run B does not count while there is no run B; any other change leaves the stories', () => {
    const afterComparison = { ...DEFAULT_CONFIG, b: { ...DEFAULT_CONFIG.b, steps: 4 } };
    expect(storyOf(afterComparison)?.id).toBe('painter');
    expect(storyOf({ ...DEFAULT_CONFIG, temperature: 0.5 })).toBeNull();
    expect(storyOf({ ...DEFAULT_CONFIG, eosLast: false })?.id).toBe('eos-first');
  });

  it('every comparison says what to watch and sets two different runs', () => {
    for (const story of STORIES.filter((s) => s.config(DEFAULT_CONFIG).sideBySide)) {
      const c = story.config(DEFAULT_CONFIG);
      expect(c.a).not.toEqual(c.b);
      expect(story.watch.length).toBeGreaterThan(40);
    }
  });
});

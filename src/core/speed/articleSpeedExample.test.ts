import { describe, expect, it } from 'vitest';
import { ARTICLE_EXAMPLE, compareSpeed } from './articleSpeedExample';

describe('the article speed example', () => {
  it('reproduces the article: 2.5 s against 0.5 s, a 5× speedup', () => {
    const c = compareSpeed(ARTICLE_EXAMPLE);
    expect(c.arPasses).toBe(500);
    expect(c.arSeconds).toBeCloseTo(2.5, 12);
    expect(c.diffusionPasses).toBe(25);
    expect(c.diffusionSeconds).toBeCloseTo(0.5, 12);
    expect(c.speedup).toBeCloseTo(5, 12);
  });

  it('grows with the length, as the article says: 2,000 tokens, 4× the AR time, same S', () => {
    const c = compareSpeed({ ...ARTICLE_EXAMPLE, length: 2000 });
    expect(c.arSeconds).toBeCloseTo(10, 12);
    expect(c.diffusionSeconds).toBeCloseTo(0.5, 12);
    expect(c.speedup).toBeCloseTo(20, 12);
  });
});

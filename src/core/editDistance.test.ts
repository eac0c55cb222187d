import { describe, expect, it } from 'vitest';
import { editDistance } from './editDistance';

describe('editDistance', () => {
  it('counts insertions, deletions and substitutions', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3); // k→s, e→i, +g
    expect(editDistance('flaw', 'lawn')).toBe(2); // −f, +n
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abc', '')).toBe(3);
    expect(editDistance('same', 'same')).toBe(0);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('teh', 'the')).toBe(1);
    expect(editDistance('cta', 'cat')).toBe(1);
  });

  it('is the restricted variant: a swapped pair is not edited again', () => {
    // Unrestricted Damerau gives 2 (ca → ac → abc); the restricted one needs 3.
    expect(editDistance('ca', 'abc')).toBe(3);
  });

  it('is symmetric', () => {
    for (const [a, b] of [
      ['owl', 'bowl'],
      ['sits', 'sat'],
      ['themselves', 'himself'],
    ]) {
      expect(editDistance(a, b)).toBe(editDistance(b, a));
    }
  });
});

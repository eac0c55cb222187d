/**
 * Edit distance for spelling suggestions: insertions, deletions, substitutions and swaps of
 * two neighbouring characters each cost 1 (the "optimal string alignment" variant of
 * Damerau–Levenshtein). Swaps count once because "teh" for "the" is the commonest typo, and
 * plain Levenshtein would rank it as far as any two-letter change.
 */
export function editDistance(a: string, b: string): number {
  const n = a.length;
  const m = b.length;
  if (n === 0) return m;
  if (m === 0) return n;
  // Three rolling rows: the swap rule looks two rows back.
  let twoBack = new Array<number>(m + 1).fill(0);
  let prev = Array.from({ length: m + 1 }, (_, j) => j);
  let cur = new Array<number>(m + 1).fill(0);
  for (let i = 1; i <= n; i++) {
    cur[0] = i;
    for (let j = 1; j <= m; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, twoBack[j - 2] + 1);
      }
      cur[j] = d;
    }
    [twoBack, prev, cur] = [prev, cur, twoBack];
  }
  return prev[m];
}

/**
 * DUS's dilated schedule (omerlux/DUS `generate_scheduled`, scheduler "dilated"): the order in
 * which a block's positions are written, decided without the model. Offsets 0..B−1 in the block.
 *
 * base = 1: one level of all B positions. Otherwise stride = ⌊B / base^baseSkip⌋; while
 * stride ≥ 1 the next level is every offset o with o mod stride = 0 not in an earlier level
 * (added only when not empty), then stride = ⌊stride / base⌋; offsets in no level form one last
 * level. Merge: with at least two levels, a last level shorter than the one before joins it.
 * B = 16, base 2: {0, 8}, {4, 12}, {2, 6, 10, 14}, {1, 3, …, 15}; B = 5: {0, 2, 4}, {1, 3} → one.
 */
export function dilatedLevels(
  blockLength: number,
  base: number,
  baseSkip: number,
  mergeShortLast = true,
): number[][] {
  const all = Array.from({ length: blockLength }, (_, o) => o);
  if (base === 1) return [all];
  const levels: number[][] = [];
  const placed = new Uint8Array(blockLength);
  let stride = Math.floor(blockLength / base ** baseSkip);
  while (stride >= 1) {
    const level = all.filter((o) => o % stride === 0 && !placed[o]);
    if (level.length > 0) {
      for (const o of level) placed[o] = 1;
      levels.push(level);
    }
    stride = Math.floor(stride / base);
  }
  const rest = all.filter((o) => !placed[o]);
  if (rest.length > 0) levels.push(rest);
  const n = levels.length;
  if (mergeShortLast && n >= 2 && levels[n - 1].length < levels[n - 2].length) {
    levels[n - 2] = [...levels[n - 2], ...levels[n - 1]];
    levels.pop();
  }
  return levels;
}

/** Low-confidence remasking applies after every level of a block except its last. */
export function remasksAfterLevel(level: number, levelCount: number): boolean {
  return level < levelCount - 1;
}

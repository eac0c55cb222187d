/**
 * Does a run look like a painter or like a typewriter going backwards? Two figures from a trace
 * alone (no model): how many words the finished sentence has, and what share of the tokens
 * committed during the first half of the model calls are words rather than [EOS]. The plain
 * sampler on a model trained on [EOS]-padded windows commits the padding first, right to left
 * (share ≈ 0) and then writes a short sentence; the default of the generation view must not.
 */
import type { SamplerTrace } from '../sampler';

export interface SpecialIds {
  mask: number;
  eos?: number;
  pad?: number;
}

export interface PainterFigures {
  /** Words the model wrote: non-special, unpinned tokens of the final window before its first [EOS]. */
  words: number;
  /** Tokens committed by the first ⌊calls / 2⌋ calls, and how many of them are words. */
  firstHalfCommits: number;
  firstHalfWords: number;
}

const isWord = (token: number, special: SpecialIds) =>
  token !== special.mask && token !== special.eos && token !== special.pad;

export function painterFigures(trace: SamplerTrace, special: SpecialIds): PainterFigures {
  const end = special.eos === undefined ? -1 : trace.final.indexOf(special.eos);
  const sentence = end < 0 ? trace.final : trace.final.slice(0, end);
  const words = sentence.filter((t, i) => !trace.pinned[i] && isWord(t, special)).length;
  let firstHalfCommits = 0;
  let firstHalfWords = 0;
  const half = Math.floor(trace.records.length / 2);
  for (const r of trace.records.slice(0, half)) {
    r.status.forEach((s, i) => {
      if (s !== 'committed') return;
      firstHalfCommits++;
      if (isWord(r.after[i], special)) firstHalfWords++;
    });
  }
  return { words, firstHalfCommits, firstHalfWords };
}

export interface PainterSummary {
  /** Median of the runs' sentence lengths in words. */
  medianWords: number;
  /** Words among all tokens the runs committed in their first halves (pooled). */
  firstHalfWordShare: number;
  runs: PainterFigures[];
}

export function summarizePainter(
  traces: readonly SamplerTrace[],
  special: SpecialIds,
): PainterSummary {
  const runs = traces.map((t) => painterFigures(t, special));
  const sorted = runs.map((r) => r.words).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const medianWords =
    sorted.length === 0
      ? 0
      : sorted.length % 2
        ? sorted[Math.floor(mid)]
        : (sorted[mid - 1] + sorted[mid]) / 2;
  const commits = runs.reduce((a, r) => a + r.firstHalfCommits, 0);
  const words = runs.reduce((a, r) => a + r.firstHalfWords, 0);
  return { medianWords, firstHalfWordShare: commits ? words / commits : 0, runs };
}

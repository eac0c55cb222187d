/**
 * Two runs from the same start, side by side in numbers: how many model calls each used, whether
 * each wrote a sentence of the language (the toy corpus's exact oracle, when there is one), and
 * where they differ: per position, the token each ended with and the call that wrote it. Used to
 * set a person's run (be the sampler) against what a strategy does from the same window.
 */
import type { TraceRecord } from '../sampler';

export interface ComparedRun {
  records: readonly TraceRecord[];
  initial: readonly number[];
  maskId: number;
}

export interface RunSide {
  calls: number;
  final: number[];
  /** Masked positions left at the end. */
  masksLeft: number;
  /** The oracle's verdict on the final window, or null without an oracle. */
  valid: boolean | null;
  /** Per position: the 0-based call that wrote its final token (null: given or never written). */
  writtenAt: (number | null)[];
}

export interface RunComparison {
  a: RunSide;
  b: RunSide;
  /** Positions whose final tokens differ. */
  differing: number[];
  /** Positions with the same final token written at different calls. */
  sameWordOtherCall: number[];
}

function side(run: ComparedRun, judge: ((ids: readonly number[]) => boolean) | null): RunSide {
  const final = (run.records.at(-1)?.after ?? run.initial).slice();
  const writtenAt = final.map(() => null as number | null);
  run.records.forEach((r, k) => {
    r.status.forEach((s, i) => {
      if (s === 'committed' || s === 'edited') writtenAt[i] = k;
      else if (s === 'remasked') writtenAt[i] = null;
    });
  });
  return {
    calls: run.records.length,
    final,
    masksLeft: final.filter((t) => t === run.maskId).length,
    valid: judge ? judge(final) : null,
    writtenAt,
  };
}

export function compareRuns(
  a: ComparedRun,
  b: ComparedRun,
  judge: ((ids: readonly number[]) => boolean) | null = null,
): RunComparison {
  if (a.initial.length !== b.initial.length || a.initial.some((t, i) => t !== b.initial[i])) {
    throw new Error('the two runs do not start from the same window');
  }
  const sa = side(a, judge);
  const sb = side(b, judge);
  const differing: number[] = [];
  const sameWordOtherCall: number[] = [];
  sa.final.forEach((t, i) => {
    if (t !== sb.final[i]) differing.push(i);
    else if (sa.writtenAt[i] !== sb.writtenAt[i]) sameWordOtherCall.push(i);
  });
  return { a: sa, b: sb, differing, sameWordOtherCall };
}

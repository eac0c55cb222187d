import type { Page } from '@playwright/test';
import type { BenchIo } from '../benchCommand';
import type { BenchContext, BenchRecord } from '../benchLine';
import type { TimingSummary } from '../stats';

/** What each part of the generate bench gets: the bench page, the line context, settings. */
export interface PartContext {
  page: Page;
  io: BenchIo;
  /** Fields every line carries (model, server, browser, cores, isolation). */
  context: BenchContext;
  batches: number[];
  warmup: number;
  calls: number;
  rounds: number;
}

/** A line for a timing: median as the value, spread beside it. */
export function timingLine(metric: string, s: TimingSummary, extra: BenchContext): BenchRecord {
  return {
    bench: 'generate',
    metric,
    value: s.median,
    unit: 'ms',
    p10: s.p10,
    p90: s.p90,
    ...extra,
  };
}

/**
 * Summary statistics of timing samples. Benches report medians (robust to the stray slow call
 * a shared machine produces) next to the spread, never a mean alone.
 */

function sortedCopy(values: readonly number[]): number[] {
  if (values.length === 0) throw new Error('statistics of an empty sample are undefined');
  for (const v of values) {
    if (!Number.isFinite(v)) throw new Error(`samples must be finite numbers, got ${v}`);
  }
  return [...values].sort((a, b) => a - b);
}

/**
 * The q-quantile with linear interpolation between order statistics (the "type 7" rule of R
 * and NumPy's default): position q·(n − 1) in the sorted sample.
 */
export function quantile(values: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  const s = sortedCopy(values);
  const pos = q * (s.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

export function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

export function mean(values: readonly number[]): number {
  const s = sortedCopy(values);
  let sum = 0;
  for (const v of s) sum += v;
  return sum / s.length;
}

export interface TimingSummary {
  n: number;
  median: number;
  p10: number;
  p90: number;
  mean: number;
  min: number;
  max: number;
}

export function summarize(values: readonly number[]): TimingSummary {
  const s = sortedCopy(values);
  return {
    n: s.length,
    median: quantile(s, 0.5),
    p10: quantile(s, 0.1),
    p90: quantile(s, 0.9),
    mean: mean(s),
    min: s[0],
    max: s[s.length - 1],
  };
}

/** Calls per second from milliseconds per call (median-based, so one stall does not skew it). */
export function callsPerSecond(msPerCall: number): number {
  if (!(msPerCall > 0)) throw new RangeError(`ms per call must be positive, got ${msPerCall}`);
  return 1000 / msPerCall;
}

/**
 * One benchmark figure as one JSON line (Contract 3): `bench`, `metric`, `value` and `unit`
 * first, then whatever a reader needs to interpret it (model, provider, batch, n, machine, a
 * target and whether it is met). Numbers are rounded to a fixed number of significant digits
 * so that float noise (0.30000000000000004) does not pass for precision.
 */

export type BenchValue = number | string | boolean | null | BenchValue[] | BenchContext;
export interface BenchContext {
  [key: string]: BenchValue | undefined;
}

export interface BenchRecord extends BenchContext {
  bench: string;
  metric: string;
  value: number | string | boolean | null;
  unit: string;
}

export const SIGNIFICANT_DIGITS = 6;

/** x rounded to `digits` significant digits; integers of up to 15 digits stay exact. */
export function roundSignificant(x: number, digits = SIGNIFICANT_DIGITS): number {
  if (!Number.isFinite(x) || x === 0 || Number.isInteger(x)) return x;
  return Number(x.toPrecision(digits));
}

function roundDeep(v: BenchValue | undefined): BenchValue | undefined {
  if (typeof v === 'number') return roundSignificant(v);
  if (Array.isArray(v)) return v.map((x) => roundDeep(x) as BenchValue);
  if (v !== null && typeof v === 'object') {
    const out: BenchContext = {};
    for (const [k, x] of Object.entries(v)) if (x !== undefined) out[k] = roundDeep(x);
    return out;
  }
  return v;
}

/**
 * The record as one line of JSON, keys in a stable order (the four required ones first).
 * Non-finite numbers are refused: JSON would silently turn them into null.
 */
export function formatBenchLine(record: BenchRecord): string {
  const { bench, metric, value, unit, ...context } = record;
  if (!bench || !metric) throw new Error('a bench line needs a bench and a metric name');
  const check = (v: unknown, path: string): void => {
    if (typeof v === 'number' && !Number.isFinite(v)) {
      throw new Error(`${bench}/${metric}: ${path} is ${v}, which JSON cannot hold`);
    }
    if (v !== null && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) check(x, `${path}.${k}`);
    }
  };
  check(value, 'value');
  check(context, 'context');
  const ordered = {
    bench,
    metric,
    value: roundDeep(value),
    unit,
    ...(roundDeep(context) as object),
  };
  return JSON.stringify(ordered);
}

/** Where a bench writes its lines; the bench CLI prints each one as soon as it is measured. */
export type EmitLine = (record: BenchRecord) => void;

/**
 * Routes a child process's stdout line by line: bench lines (`{"bench":…`) to `lines`, anything
 * else to `other`. Native code in a child (Dawn prints WebGPU validation errors on stdout) must
 * not break a stdout that carries only JSON lines. Call flush() when the child has exited.
 */
export function benchLineSplitter(
  lines: (text: string) => void,
  other: (text: string) => void,
): { write(chunk: string): void; flush(): void } {
  let pending = '';
  const route = (line: string) => (line.startsWith('{"bench":') ? lines : other)(line + '\n');
  return {
    write(chunk) {
      pending += chunk;
      let end: number;
      while ((end = pending.indexOf('\n')) >= 0) {
        route(pending.slice(0, end));
        pending = pending.slice(end + 1);
      }
    },
    flush() {
      if (pending) route(pending);
      pending = '';
    },
  };
}

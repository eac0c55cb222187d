import { describe, expect, it } from 'vitest';
import { benchLineSplitter, formatBenchLine, roundSignificant } from './benchLine';

describe('bench lines', () => {
  it('puts bench, metric, value and unit first, then the context, on one line', () => {
    const line = formatBenchLine({
      unit: 'ms',
      provider: 'wasm',
      value: 1.25,
      metric: 'latency_median',
      bench: 'generate',
      batch: 8,
    });
    expect(line).toBe(
      '{"bench":"generate","metric":"latency_median","value":1.25,"unit":"ms","provider":"wasm","batch":8}',
    );
    expect(line).not.toContain('\n');
  });

  it('rounds float noise to six significant digits, deep inside the context too', () => {
    const line = formatBenchLine({
      bench: 'b',
      metric: 'm',
      value: 0.1 + 0.2,
      unit: 'fraction',
      spread: { p10: 1 / 3, list: [2 / 3] },
      bytes: 898930,
    });
    expect(JSON.parse(line)).toEqual({
      bench: 'b',
      metric: 'm',
      value: 0.3,
      unit: 'fraction',
      spread: { p10: 0.333333, list: [0.666667] },
      bytes: 898930,
    });
  });

  it('keeps integers exact and rounds large non-integers to significant digits', () => {
    expect(roundSignificant(123456789)).toBe(123456789);
    expect(roundSignificant(1234567.891)).toBe(1234570);
    expect(roundSignificant(0.000123456789)).toBe(0.000123457);
    expect(roundSignificant(0)).toBe(0);
  });

  it('leaves out undefined context fields', () => {
    const line = formatBenchLine({ bench: 'b', metric: 'm', value: 1, unit: 'x', note: undefined });
    expect(line).toBe('{"bench":"b","metric":"m","value":1,"unit":"x"}');
  });

  it('refuses values JSON would turn into null, naming where they are', () => {
    expect(() => formatBenchLine({ bench: 'b', metric: 'm', value: NaN, unit: 'x' })).toThrow(
      /b\/m: value is NaN/,
    );
    expect(() =>
      formatBenchLine({ bench: 'b', metric: 'm', value: 1, unit: 'x', s: { p90: Infinity } }),
    ).toThrow(/context\.s\.p90 is Infinity/);
    expect(() => formatBenchLine({ bench: '', metric: 'm', value: 1, unit: 'x' })).toThrow();
  });
});

describe('benchLineSplitter', () => {
  it('sends bench lines one way and anything else the other, across chunk boundaries', () => {
    const lines: string[] = [];
    const other: string[] = [];
    const s = benchLineSplitter(
      (t) => lines.push(t),
      (t) => other.push(t),
    );
    s.write('{"bench":"train","met');
    s.write('ric":"a"}\nvalidation:\n - While calling\n{"bench":"train"');
    expect(lines).toEqual(['{"bench":"train","metric":"a"}\n']);
    expect(other).toEqual(['validation:\n', ' - While calling\n']);
    s.write(',"metric":"b"}');
    s.flush();
    expect(lines[1]).toBe('{"bench":"train","metric":"b"}\n');
    s.flush();
    expect(lines).toHaveLength(2);
    expect(other).toHaveLength(2);
  });
});

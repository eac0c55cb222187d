import { describe, expect, it } from 'vitest';
import { parseChoiceList, parseIntegerList } from './listOption';

describe('list options', () => {
  it('reads comma-separated integers, spaces allowed', () => {
    expect(parseIntegerList('--batches', '1,8', 1, 64)).toEqual([1, 8]);
    expect(parseIntegerList('--batches', ' 4 ', 1, 64)).toEqual([4]);
  });

  it('refuses empty items, non-integers, out-of-range values and repeats, naming the flag', () => {
    expect(() => parseIntegerList('--batches', '1,,8', 1, 64)).toThrow(/--batches must be/);
    expect(() => parseIntegerList('--batches', '1.5', 1, 64)).toThrow(/got '1.5'/);
    expect(() => parseIntegerList('--batches', '0', 1, 64)).toThrow(/1\.\.64/);
    expect(() => parseIntegerList('--batches', '-2', 1, 64)).toThrow(/got '-2'/);
    expect(() => parseIntegerList('--threads', '2,2', 1, 8)).toThrow(/--threads repeats/);
  });

  it('reads choices in the order given and refuses unknown ones', () => {
    expect(parseChoiceList('--providers', 'webgpu,wasm', ['wasm', 'webgpu'])).toEqual([
      'webgpu',
      'wasm',
    ]);
    expect(() => parseChoiceList('--providers', 'wasm,webgl', ['wasm', 'webgpu'])).toThrow(
      /one of wasm, webgpu, got 'webgl'/,
    );
  });
});

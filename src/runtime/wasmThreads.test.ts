import { describe, expect, it } from 'vitest';
import { chooseWasmThreads, MAX_WASM_THREADS, MIN_CORES_FOR_THREADS } from './wasmThreads';

describe('chooseWasmThreads', () => {
  it('keeps one thread when the page is not cross-origin isolated (no SharedArrayBuffer)', () => {
    expect(chooseWasmThreads(false, 16)).toBe(1);
    expect(chooseWasmThreads(false, undefined)).toBe(1);
  });

  it('keeps one thread on a machine with no core to spare, or that does not say', () => {
    expect(MIN_CORES_FOR_THREADS).toBe(3);
    expect(chooseWasmThreads(true, 1)).toBe(1);
    expect(chooseWasmThreads(true, 2)).toBe(1);
    expect(chooseWasmThreads(true, undefined)).toBe(1);
    expect(chooseWasmThreads(true, 0)).toBe(1);
  });

  it('takes two or more threads, half the cores, when isolated with cores to spare', () => {
    expect(chooseWasmThreads(true, 3)).toBe(2);
    expect(chooseWasmThreads(true, 4)).toBe(2);
    expect(chooseWasmThreads(true, 6)).toBe(3);
    expect(chooseWasmThreads(true, 8)).toBe(4);
  });

  it('caps the pool on many-core machines', () => {
    expect(MAX_WASM_THREADS).toBe(4);
    expect(chooseWasmThreads(true, 64)).toBe(4);
  });
});

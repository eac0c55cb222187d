import { describe, expect, it } from 'vitest';
import type { CallModeDecision } from './gpuCallModes';
import { runGpuScript } from '../train/node/runGpuScript';

/**
 * The shipped model on onnxruntime-web's WebGPU build, in Node on Dawn + SwiftShader
 * (node/gpuCallModesCheck.ts), against its WASM build: every call of each shape's trial of call
 * modes (tensors, IO binding) gives the WASM logits, each call on a new window.
 */
interface Result {
  results: {
    batch: number;
    length: number;
    calls: number;
    maxDiff: number;
    decision: CallModeDecision | null;
  }[];
  dropped: { mode: string; reason: string }[];
  fallback: {
    calls: number;
    maxDiff: number;
    decisions: CallModeDecision[];
    dropped: { mode: string; reason: string }[];
  };
}

describe('the WebGPU call modes of a model', () => {
  it('give the WASM build’s logits in every mode, settle each shape on one, and drop a mode that fails', async () => {
    const { results, dropped, fallback } = await runGpuScript<Result>(
      new URL('./node/gpuCallModesCheck.ts', import.meta.url),
      [],
      280_000,
    );
    expect(dropped).toEqual([]);
    expect(results.map((r) => [r.batch, r.length])).toEqual([
      [1, 16],
      [3, 16],
      // 11 int32 tokens: 44 bytes, not a whole number of 16-byte units (the buffer-size bug).
      [1, 11],
    ]);
    for (const r of results) {
      expect(r.maxDiff, `B${r.batch}·L${r.length}`).toBeLessThan(1e-3);
      const modes = Object.keys(r.decision!.msByMode).sort();
      expect(modes).toEqual(['io-binding', 'tensors']);
      expect(modes).toContain(r.decision!.chosen);
      for (const ms of Object.values(r.decision!.msByMode)) expect(ms).toBeGreaterThan(0);
    }
    // IO binding that fails: dropped with its reason, every call answered right with tensors,
    // and the trial settles on tensors alone (its warm call and five timed).
    expect(fallback.dropped).toEqual([
      { mode: 'io-binding', reason: 'failed: no GPU buffers today' },
    ]);
    expect(fallback.maxDiff).toBeLessThan(1e-3);
    expect(fallback.decisions).toHaveLength(1);
    expect(fallback.decisions[0]).toMatchObject({ shape: 'B1·L16', chosen: 'tensors' });
    expect(Object.keys(fallback.decisions[0].msByMode)).toEqual(['tensors']);
  }, 300_000);
});

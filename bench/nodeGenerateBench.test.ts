import { describe, expect, it } from 'vitest';
import { captureIo } from '../scripts/cli/captureIo.testutil';
import { runBenchCli } from '../scripts/bench';
import { agreement, LOGIT_TOLERANCE, PROB_TOLERANCE } from './nodeGenerateBench';

describe('agreement of a variant with the WASM logits', () => {
  // Two rows of vocabulary 4: softmax of [0, ln 2, ln 4, 0] is [1, 2, 4, 1] / 8.
  const logits = Float32Array.from([0, Math.log(2), Math.log(4), 0, 3, 1, 1, 0]);

  it('measures logits by their largest difference', () => {
    const shifted = logits.map((x, i) => (i === 5 ? x + 2e-3 : x));
    expect(agreement({ logits: shifted }, logits, 4, 2)).toEqual({
      maxAbsDiff: expect.closeTo(2e-3, 6),
      idsAgree: true,
      tolerance: LOGIT_TOLERANCE,
    });
  });

  it('checks top-k ids and probabilities against the softmax, ties either way', () => {
    const e3 = Math.exp(3);
    const z = e3 + 2 * Math.E + 1;
    const probs = Float32Array.from([4 / 8, 2 / 8, e3 / z, Math.E / z]);
    // Row 1's second place is a tie between ids 1 and 2: either is right.
    for (const second of [1, 2]) {
      const r = agreement({ probs, ids: Uint32Array.from([2, 1, 0, second]) }, logits, 4, 2);
      expect(r.idsAgree).toBe(true);
      expect(r.maxAbsDiff).toBeLessThan(1e-7);
      expect(r.tolerance).toBe(PROB_TOLERANCE);
    }
    // A wrong id (row 0's second place is id 1, not id 0: 1/4 against 1/8).
    expect(agreement({ probs, ids: Uint32Array.from([2, 0, 0, 1]) }, logits, 4, 2).idsAgree).toBe(
      false,
    );
  });
});

/**
 * `bench -- generate --host node` on Dawn (SwiftShader here), as it runs on a machine with a GPU
 * and no browser: a tiny model, one shape, the WASM reference, our GPU top-k on IO-bound logits,
 * and graph capture (in a child process of its own, as every capture variant runs). Each variant
 * answers three windows in a row before it is timed: onnxruntime-web 1.30's graph capture does
 * not (its replays answer with the captured call's inputs), so it is reported and not timed.
 */
describe('bench generate on the Node host', () => {
  it(
    'times each variant that agrees with the WASM logits on three windows in a row',
    { timeout: 400_000 },
    async () => {
      const c = captureIo();
      const code = await runBenchCli(
        [
          'generate',
          '--host',
          'node',
          '--models',
          'large',
          '--large',
          '16,2,1,32',
          '--shapes',
          '2x8',
          '--variants',
          'wasm,webgpu-io-topk,webgpu-capture',
          '--node-calls',
          '2',
          '--node-warmup',
          '1',
        ],
        c.io,
      );
      expect(code, c.err.join('')).toBe(0);
      const records = c.out
        .join('')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      const of = (metric: string) => records.filter((r) => r.metric === metric);
      const agreements = of('variant_agreement');
      expect(agreements.map((r) => r.variant)).toEqual([
        'wasm',
        'webgpu-io-topk',
        'webgpu-capture',
      ]);
      for (const r of agreements) {
        expect(r).toMatchObject({ batch: 2, length: 8, weights: 'random' });
        expect(r.against).toBe('the WASM build’s logits on the same windows, three calls in a row');
      }
      expect(agreements[0].met).toBe(true);
      expect(agreements[1]).toMatchObject({ met: true, idsAgree: true });
      // Graph capture: the second and third windows got the first one's logits back.
      expect(agreements[2].met).toBe(false);
      expect(agreements[2].value).toBeGreaterThan(agreements[2].target.match(/[\d.]+/)[0] * 100);
      const timed = ['wasm', 'webgpu-io-topk'];
      expect(of('ms_per_call').map((r) => r.variant)).toEqual(timed);
      for (const r of of('ms_per_call')) {
        expect(r.value).toBeGreaterThan(0);
        expect(r.host).toMatch(/^Node v\d+.* with Dawn/);
      }
      expect(of('ms_per_call')[1].adapter).toMatch(/SwiftShader/i);
      const [fastest] = of('fastest_variant');
      expect(timed).toContain(fastest.value);
      expect(Object.keys(fastest.byVariant)).toEqual(timed);
    },
  );
});

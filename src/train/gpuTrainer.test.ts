import { describe, expect, it } from 'vitest';
import { runGpuScript } from './node/runGpuScript';
import type { TrainerReport } from './node/trainerParity';

/**
 * The whole WebGPU trainer against the CPU reference (trainerParity.ts, on Dawn + SwiftShader in
 * a child process): a time-conditioned bidirectional network on masked-diffusion batches and a
 * causal one on next-token batches, with the software adapter's default matmul ('shared'); the
 * gradients also with the 'registers' and 'tiled' ones, and with the tiled one split along k.
 */
const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;

describe('the WebGPU trainer on SwiftShader', () => {
  it('matches the CPU reference: gradients, one step, and a 20-step loss curve', async () => {
    const report = await runGpuScript<TrainerReport>(
      new URL('./node/trainerParity.ts', import.meta.url),
    );
    const names = report.checks.map((c) => c.name);
    for (const variant of ['masked diffusion', 'causal next-token']) {
      for (const what of [
        'logits',
        'loss',
        'loss of each row',
        'gradient norm',
        'gradient of head.w',
      ]) {
        expect(names).toContain(`${variant}: ${what}`);
        expect(names).toContain(`${variant} (registers matmul): ${what}`);
        expect(names).toContain(`${variant} (tiled matmul): ${what}`);
        expect(names).toContain(`${variant} (tiled split-K matmul): ${what}`);
      }
      expect(names).toContain(`${variant} step: updated layers.1.mlp.w2`);
      expect(names).toContain(`${variant} step: AdamW v of tok_emb`);
      expect(names).toContain(`${variant} step: row losses of the record`);
    }
    expect(names).toContain('masked diffusion: gradient of time_w');
    // Every weight gradient of the base network is split: q|k|v, wo, w1, w2 per layer, and head.
    expect(report.splitKSums).toBe(2 * 4 + 1);
    for (const c of report.checks) {
      expect(c.relError, `${c.name}: max error ${c.maxAbsError} at scale ${c.scale}`).toBeLessThan(
        1e-4,
      );
    }

    expect(report.curves.map((c) => c.variant)).toEqual(['masked diffusion', 'causal next-token']);
    for (const curve of report.curves) {
      expect(curve.steps).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(curve.lrMatches).toBe(true);
      expect(curve.maxRelError, `${curve.variant} loss curve`).toBeLessThan(1e-3);
      // The per-row losses read back with each step's loss: the CPU trainer's, row by row.
      expect(curve.rowLossMaxRelError, `${curve.variant} row losses`).toBeLessThan(1e-3);
      expect(curve.finalParams.relError, curve.finalParams.name).toBeLessThan(1e-4);
      // Throttled to 2 steps in flight, the read-back never needs more than its ring of 3.
      expect(curve.stagingBuffers).toBe(3);
      // Deterministic reductions: the same step from the same state gives the same bits.
      expect(curve.bitIdenticalRepeat).toBe(true);
    }
    // The next-token task is learnable in 20 steps: its loss falls.
    const causal = report.curves[1].gpu;
    expect(mean(causal.slice(-5))).toBeLessThan(mean(causal.slice(0, 5)) - 0.3);
  });
});

import { describe, expect, it } from 'vitest';
import { captureIo } from '../scripts/cli/captureIo.testutil';
import { runBenchCli } from '../scripts/bench';

/**
 * `bench -- train --host node`: the bench bundled for Node and run on Dawn (SwiftShader here),
 * the way it runs on a machine with a GPU and no browser (scripts/gpu-machine). Every trainer
 * must start from the CPU reference's loss and follow its losses step by step: TensorFlow.js-
 * WebGPU once failed the second (a 73-input AddN over the storage-buffer limit).
 */
describe('bench train on the Node host', () => {
  it(
    'times every trainer on Dawn, each tracking the CPU reference',
    { timeout: 240_000 },
    async () => {
      const c = captureIo();
      const args = ['train', '--host', 'node', '--preset', 'tiny', '--batch', '4'];
      const few = ['--steps', '2', '--warmup', '1', '--rounds', '1', '--min-steps', '2'];
      const code = await runBenchCli(
        [...args, ...few, '--budget', '1', '--parts', 'trainers'],
        c.io,
      );
      expect(code, c.err.join('')).toBe(0);
      const records = c.out
        .join('')
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l));
      const trainers = [
        'unmask/webgpu',
        'unmask/cpu',
        'tensorflow.js/webgpu',
        'tensorflow.js/wasm',
        'tensorflow.js/cpu',
      ];
      const of = (metric: string) =>
        new Map(
          records.filter((r) => r.metric === metric).map((r) => [`${r.trainer}/${r.backend}`, r]),
        );
      expect([...of('steps_per_second').keys()]).toEqual(trainers);
      for (const r of of('loss_parity').values()) expect(r.met).toBe(true);
      const tracking = of('loss_tracking');
      expect([...tracking.keys()]).toEqual(trainers.filter((t) => t !== 'unmask/cpu'));
      for (const r of tracking.values()) {
        expect(r.steps).toBe(3);
        expect(r.met, JSON.stringify(r)).toBe(true);
      }
      for (const r of records) {
        expect(r.host).toMatch(/^Node v\d+.* with Dawn/);
        expect(r.adapter).toMatch(/SwiftShader/i);
      }
      expect(records.find((r) => r.metric === 'speedup')).toMatchObject({
        unit: 'ratio of steps/s',
      });
    },
  );
});

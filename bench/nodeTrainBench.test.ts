import { describe, expect, it } from 'vitest';
import { captureIo } from '../scripts/cli/captureIo.testutil';
import { runBenchCli } from '../scripts/bench';

/**
 * `bench -- train --host node`: the bench bundled for Node and run on Dawn (SwiftShader here),
 * the way it runs on a machine with a GPU and no browser (scripts/gpu-machine). Every trainer
 * must start from the CPU reference's loss and follow its losses step by step: TensorFlow.js-
 * WebGPU once failed the second (a 73-input AddN over the storage-buffer limit). jax-js runs
 * there too (its WebGPU device on Dawn through navigator.gpu).
 */
describe('bench train on the Node host', () => {
  it(
    'times every trainer on Dawn, each tracking the CPU reference',
    { timeout: 240_000 },
    async () => {
      const c = captureIo();
      const args = ['train', '--host', 'node', '--preset', 'tiny', '--batch', '4'];
      const few = ['--steps', '2', '--warmup', '1', '--rounds', '1', '--min-steps', '2'];
      // A short grammatical part first: it runs in this process, the trainers in the bundle.
      const grammatical = [
        '--grammatical-preset',
        'tiny',
        '--grammatical-batch',
        '4',
        '--grammatical-steps',
        '2',
      ];
      const evaluation = ['--eval-every', '2', '--eval-samples', '2', '--target', '0'];
      const parts = ['--run-steps', '4', '--parts', 'grammatical,trainers,run'];
      const code = await runBenchCli(
        [...args, ...few, '--budget', '1', ...grammatical, ...evaluation, ...parts],
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
        'jax-js/webgpu',
        'jax-js/wasm',
      ];
      const of = (metric: string) =>
        new Map(
          records.filter((r) => r.metric === metric).map((r) => [`${r.trainer}/${r.backend}`, r]),
        );
      // A whole Train-panel run with and without sample pacing: it finishes, checkpoints at
      // its start and end, and decodes at least at its last step.
      const runs = records.filter((r) => r.metric === 'run_steps_per_second');
      expect(runs.map((r) => r.samplePacing)).toEqual(['off', 'on']);
      for (const r of runs) {
        expect(r).toMatchObject({ steps: 4, outcome: 'finished', checkpoints: 2, decodes: 1 });
        expect(r.value).toBeGreaterThan(0);
      }
      // Once: the bundle must not train the grammatical part again.
      expect(records.filter((r) => r.metric === 'steps_to_grammatical')).toHaveLength(1);
      expect([...of('steps_per_second').keys()]).toEqual(trainers);
      for (const r of of('loss_parity').values()) expect(r.met).toBe(true);
      const tracking = of('loss_tracking');
      expect([...tracking.keys()]).toEqual(trainers.filter((t) => t !== 'unmask/cpu'));
      for (const r of tracking.values()) {
        expect(r.steps).toBe(3);
        expect(r.met, JSON.stringify(r)).toBe(true);
      }
      for (const r of records.filter(
        (r) => r.metric !== 'validity_curve' && !/grammatical/.test(r.metric),
      )) {
        expect(r.host).toMatch(/^Node v\d+.* with Dawn/);
        expect(r.adapter).toMatch(/SwiftShader/i);
      }
      // Against each peer's fastest backend.
      expect(
        records.filter((r) => r.metric === 'speedup').map((r) => r.against.split('/')[0]),
      ).toEqual(['tensorflow.js', 'jax-js']);
    },
  );
});

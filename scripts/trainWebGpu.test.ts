import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../src/model/manifest';
import { readOnnxWeights } from '../src/model/onnx/readOnnxWeights';
import { buildParameterLayout } from '../src/model/parameterLayout';
import type { ModelConfig } from '../src/model/config';
import { captureIo } from './cli/captureIo.testutil';
import { runTrainCli } from './train';

/**
 * `npm run train -- --trainer webgpu`: the same seeded batches and learning rates through our
 * WebGPU trainer on Dawn + SwiftShader (a child process) as through the CPU reference. Heavy:
 * run it alone, under the shared lock.
 */
const tiny = [
  ...['--d-model', '16', '--heads', '2', '--layers', '2', '--ffn', '32'],
  ...['--batch', '8', '--warmup', '2', '--steps', '12', '--log-every', '1', '--lr', '0.01'],
  ...['--eval-samples', '4', '--workers', '1'],
];

interface Training {
  trainer: string;
  steps: number;
  lossCurve: { step: number; loss: number; lr: number }[];
  sampleValidity: number;
}

async function train(dir: string, id: string, extra: string[]) {
  const c = captureIo();
  const code = await runTrainCli([...tiny, '--id', id, '--out', dir, ...extra], c.io);
  expect(code, c.err.join('')).toBe(0);
  const manifest = parseManifest(
    JSON.parse(fs.readFileSync(path.join(dir, id, 'manifest.json'), 'utf8')),
  );
  const layout = buildParameterLayout(manifest.architecture as unknown as ModelConfig);
  const onnx = new Uint8Array(fs.readFileSync(path.join(dir, id, 'model.onnx')));
  return {
    training: manifest.training as unknown as Training,
    weights: readOnnxWeights(onnx, layout),
    err: c.err.join(''),
  };
}

describe('npm run train -- --trainer webgpu', () => {
  it('writes a loadable package whose loss curve is the CPU trainer’s', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-train-gpu-'));
    try {
      const cpu = await train(dir, 'cpu', []);
      const gpu = await train(dir, 'gpu', ['--trainer', 'webgpu']);
      expect(cpu.training.trainer).toBe('cpu-reference (1 worker threads)');
      expect(gpu.training.trainer).toMatch(/^unmask-webgpu \(Dawn, .*swiftshader/i);
      expect(gpu.err).toContain('unmask-webgpu (Dawn');
      // The package ran on onnxruntime-web in the child: its samples were measured.
      expect(gpu.training.sampleValidity).toBeGreaterThanOrEqual(0);
      expect(gpu.training.lossCurve.map((p) => p.step)).toEqual(
        Array.from({ length: 12 }, (_, i) => i + 1),
      );
      gpu.training.lossCurve.forEach((p, i) => {
        const ref = cpu.training.lossCurve[i];
        expect(p.lr).toBe(ref.lr);
        expect(Math.abs(p.loss - ref.loss) / ref.loss, `step ${p.step}`).toBeLessThan(1e-3);
      });
      // And it learns: the last steps' loss is below the first steps'.
      const losses = gpu.training.lossCurve.map((p) => p.loss);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(losses.slice(-4))).toBeLessThan(mean(losses.slice(0, 4)));
      // The weights agree with the CPU trainer's up to float32 rounding carried through AdamW.
      let worst = 0;
      let scale = 0;
      cpu.weights.forEach((w, i) => {
        worst = Math.max(worst, Math.abs(w - gpu.weights[i]));
        scale = Math.max(scale, Math.abs(w));
      });
      expect(worst / scale).toBeLessThan(1e-3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it('refuses an unknown trainer or adapter with one line and exit 2', async () => {
    for (const argv of [
      ['--trainer', 'cuda'],
      ['--trainer', 'webgpu', '--gpu-adapter', 'metal'],
    ]) {
      const c = captureIo();
      expect(await runTrainCli(argv, c.io)).toBe(2);
      expect(c.err.join('').trim().split('\n')).toHaveLength(1);
    }
  });
});

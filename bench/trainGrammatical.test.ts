import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BenchRecord } from './benchLine';
import {
  grammaticalLines,
  grammaticalTrainArgs,
  runGrammatical,
  type GrammaticalRecord,
  type GrammaticalSettings,
} from './trainGrammatical';

const settings: GrammaticalSettings = {
  preset: 'tiny',
  trainer: 'cpu',
  batch: 4,
  lr: 3e-3,
  lrFloor: 1e-4,
  warmup: 1,
  maxSteps: 4,
  evalEvery: 2,
  evalSamples: 3,
  target: 0.9,
  seed: 7,
  workers: 1,
};

describe('bench train --parts grammatical', () => {
  it('turns the training record into steps, seconds (without and with evaluation) and the curve', () => {
    const record: GrammaticalRecord = {
      trainer: 'cpu-reference (2 worker threads)',
      steps: 1500,
      trainSeconds: 700,
      wallSeconds: 760,
      evaluationSeconds: 60,
      untilValid: { target: 0.9, met: true, step: 1500, trainSeconds: 699.5, wallSeconds: 758 },
      validityCurve: {
        every: 500,
        method: 'article sampler',
        points: [
          { step: 500, seconds: 230, wallSeconds: 250, validity: 0.4 },
          { step: 1000, seconds: 460, wallSeconds: 500, validity: 0.8 },
          { step: 1500, seconds: 699.5, wallSeconds: 758, validity: 0.91 },
        ],
      },
    };
    const lines = grammaticalLines(record, { ...settings, batch: 64 }, { preset: 'toy' });
    const [steps, seconds, ...curve] = lines;
    expect(steps).toMatchObject({
      metric: 'steps_to_grammatical',
      value: 1500,
      unit: 'steps',
      met: true,
      target: '>= 0.9',
      backend: 'cpu',
      batch: 64,
      lr: 3e-3,
      preset: 'toy',
    });
    expect(seconds).toMatchObject({
      metric: 'seconds_to_grammatical',
      value: 699.5,
      secondsWithEvaluation: 758,
      evaluationSeconds: 60,
    });
    expect(curve.map((l) => [l.step, l.value, l.seconds])).toEqual([
      [500, 0.4, 230],
      [1000, 0.8, 460],
      [1500, 0.91, 699.5],
    ]);
  });

  it('trains a fresh tiny model to a target it can reach and emits the lines', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-grammatical-test-'));
    expect(grammaticalTrainArgs(settings, out)).toContain('--until-valid');
    expect(grammaticalTrainArgs(settings, out)).not.toContain('--gpu-adapter');
    const gpu = grammaticalTrainArgs({ ...settings, trainer: 'webgpu', gpuAdapter: 'native' }, out);
    expect(gpu.slice(gpu.indexOf('--gpu-adapter'))).toEqual(['--gpu-adapter', 'native']);
    const emitted: BenchRecord[] = [];
    const io = {
      emit: (r: BenchRecord) => void emitted.push(r),
      progress: () => {},
      stdout: () => {},
      stderr: () => {},
    };
    // Target 0: the first measurement (step 2) reaches it.
    const code = await runGrammatical({ ...settings, target: 0, out }, io, { preset: 'tiny' });
    expect(code).toBe(0);
    expect(emitted.map((l) => l.metric)).toEqual([
      'steps_to_grammatical',
      'seconds_to_grammatical',
      'validity_curve',
    ]);
    expect(emitted[0]).toMatchObject({ value: 2, met: true, stepsRun: 2, dModel: 16, layers: 1 });
    expect(emitted[0].parameters).toBeGreaterThan(0);
    expect(emitted[2]).toMatchObject({ step: 2 });
    fs.rmSync(out, { recursive: true, force: true });
  });
});

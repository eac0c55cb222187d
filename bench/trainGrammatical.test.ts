import { describe, expect, it } from 'vitest';
import { captureIo } from '../scripts/cli/captureIo.testutil';
import { runBenchCli } from '../scripts/bench';
import { DEFAULT_SETTINGS } from '../src/train/trainingProtocol';
import type { BenchRecord } from './benchLine';
import {
  grammaticalLines,
  grammaticalRecipe,
  runGrammatical,
  type GrammaticalRecord,
  type GrammaticalSettings,
} from './trainGrammatical';

const quiet = (emitted: BenchRecord[]) => ({
  emit: (r: BenchRecord) => void emitted.push(r),
  progress: () => {},
  stdout: () => {},
  stderr: () => {},
});

describe('bench train --parts grammatical', () => {
  it("runs the Train panel's default settings object itself unless an option overrides one", () => {
    expect(grammaticalRecipe()).toBe(DEFAULT_SETTINGS);
    expect(grammaticalRecipe({ batch: undefined })).toBe(DEFAULT_SETTINGS);
    const changed = grammaticalRecipe({ batch: 4, preset: 'tiny' });
    expect(changed).toEqual({ ...DEFAULT_SETTINGS, batch: 4, preset: 'tiny' });
    expect(() => grammaticalRecipe({ batch: 0 })).toThrow(/Batch: must be a whole number/);
  });

  it('turns a run into steps, seconds (without and with evaluation) and the curve', () => {
    const record: GrammaticalRecord = {
      trainer: 'cpu',
      steps: 1500,
      trainSeconds: 700,
      evaluationSeconds: 60,
      points: [
        { step: 500, seconds: 230, wallSeconds: 250, validity: 0.4 },
        { step: 1000, seconds: 460, wallSeconds: 500, validity: 0.8 },
        { step: 1500, seconds: 699.5, wallSeconds: 758, validity: 0.91 },
      ],
      target: 0.9,
      met: true,
      step: 1500,
      seconds: 699.5,
      secondsWithEvaluation: 758,
    };
    const s: GrammaticalSettings = {
      recipe: DEFAULT_SETTINGS,
      trainer: 'cpu',
      evalEvery: 500,
      evalSamples: 200,
      target: 0.9,
    };
    const [steps, seconds, ...curve] = grammaticalLines(record, s, { machine: 'here' });
    expect(steps).toMatchObject({
      metric: 'steps_to_grammatical',
      value: 1500,
      unit: 'steps',
      met: true,
      target: '>= 0.9',
      backend: 'cpu',
      recipe: 'the Train panel default',
      preset: DEFAULT_SETTINGS.preset,
      batch: DEFAULT_SETTINGS.batch,
      lr: DEFAULT_SETTINGS.lr,
      machine: 'here',
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
    const other = grammaticalLines(record, { ...s, recipe: grammaticalRecipe({ lr: 1e-3 }) }, {});
    expect(other[0].recipe).toBe('overridden');
  });

  it('trains a fresh run through the panel loop, pausing to measure, until the target', async () => {
    const emitted: BenchRecord[] = [];
    const s: GrammaticalSettings = {
      recipe: grammaticalRecipe({ preset: 'tiny', batch: 4, steps: 6 }),
      trainer: 'cpu',
      evalEvery: 2,
      evalSamples: 3,
      target: 1,
    };
    // Target 1 is out of a 6-step tiny model's reach: every measurement is made, then met false.
    expect(await runGrammatical(s, quiet(emitted), {})).toBe(0);
    expect(emitted.map((l) => l.metric)).toEqual([
      'steps_to_grammatical',
      'seconds_to_grammatical',
      'validity_curve',
      'validity_curve',
      'validity_curve',
    ]);
    expect(emitted[0]).toMatchObject({ value: null, met: false, stepsRun: 6, dModel: 16 });
    expect(emitted.slice(2).map((l) => l.step)).toEqual([2, 4, 6]);
    const times = emitted.slice(2).map((l) => l.seconds as number);
    expect(times[0]).toBeGreaterThan(0);
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    // Target 0: the first measurement reaches it and the run stops there.
    const early: BenchRecord[] = [];
    expect(await runGrammatical({ ...s, target: 0 }, quiet(early), {})).toBe(0);
    expect(early[0]).toMatchObject({ value: 2, met: true, stepsRun: 2 });
  });

  it('from the command line, without overrides, trains DEFAULT_SETTINGS on the CPU backend', async () => {
    const c = captureIo();
    // One step and one sample, target 0: the first measurement meets it.
    const args = ['train', '--parts', 'grammatical', '--eval-every', '1', '--eval-samples', '1'];
    const code = await runBenchCli([...args, '--target', '0'], c.io);
    expect(code, c.err.join('')).toBe(0);
    const lines = c.out
      .join('')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({
      metric: 'steps_to_grammatical',
      value: 1,
      recipe: 'the Train panel default',
      backend: 'cpu',
      preset: DEFAULT_SETTINGS.preset,
      batch: DEFAULT_SETTINGS.batch,
      lr: DEFAULT_SETTINGS.lr,
      steps: DEFAULT_SETTINGS.steps,
    });
    expect(lines[1].loadAverage).toHaveLength(3);
  });
});

import { describe, expect, it } from 'vitest';
import { buildParameterLayout } from '../model/parameterLayout';
import { checkSettings, settingsProblems } from './settingsProblems';
import { stepFootprint } from './stepFootprint';
import { maxBatch, memoryBudget, type TrainingLimits } from './trainingLimits';
import { configForPreset, DEFAULT_SETTINGS } from './trainingProtocol';

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
// WebGPU's default limits, which a device gets unless it asks for more.
const swiftShader: TrainingLimits = {
  device: { name: 'SwiftShader', maxBufferSize: 256 * MiB, maxStorageBufferBindingSize: 128 * MiB },
  memory: memoryBudget(8),
};
const cpu: TrainingLimits = { device: null, memory: memoryBudget(undefined) };

describe('the Train panel settings', () => {
  it('accept the defaults, here and on the CPU', () => {
    expect(settingsProblems(DEFAULT_SETTINGS, swiftShader)).toEqual([]);
    expect(settingsProblems(DEFAULT_SETTINGS, cpu)).toEqual([]);
    expect(() => checkSettings(DEFAULT_SETTINGS)).not.toThrow();
  });

  it('list every problem at once, each named by its field', () => {
    const problems = settingsProblems(
      {
        ...DEFAULT_SETTINGS,
        steps: 2.5,
        batch: 0,
        lr: -1,
        checkpointEvery: 0,
        sampleEvery: Number.NaN,
        seed: -3,
      },
      swiftShader,
    );
    expect(problems).toEqual([
      { field: 'steps', message: 'Steps: must be a whole number of at least 1, not 2.5.' },
      { field: 'batch', message: 'Batch: must be a whole number of at least 1, not 0.' },
      { field: 'lr', message: 'Learning rate: must be a number above 0, not -1.' },
      {
        field: 'checkpointEvery',
        message: 'Checkpoint every: must be a whole number of at least 1, not 0.',
      },
      {
        field: 'sampleEvery',
        message: 'Samples every: must be a whole number of at least 1, not NaN.',
      },
      { field: 'seed', message: 'Seed: must be a whole number from 0 to 4,294,967,295, not -3.' },
    ]);
    expect(() => checkSettings({ ...DEFAULT_SETTINGS, lr: -1, checkpointEvery: 0 })).toThrow(
      'Learning rate: must be a number above 0, not -1. Checkpoint every: must be a whole number of at least 1, not 0.',
    );
    expect(settingsProblems({ ...DEFAULT_SETTINGS, steps: 2_000_000 })[0].message).toBe(
      'Steps: at most 1,000,000, not 2,000,000.',
    );
  });

  it('bound the batch by the device buffer limit, naming the buffer and the limit', () => {
    // small preset, toy-sentences (147 tokens, L = 16): the logits, batch · 16 · 147 · 4 bytes,
    // are its largest buffer; 128 MiB of them is 14,266 rows (14,267 · 9,408 > 134,217,728).
    const [problem] = settingsProblems({ ...DEFAULT_SETTINGS, batch: 1_000_000 }, swiftShader);
    expect(problem.field).toBe('batch');
    expect(problem.message).toMatch(
      /^Batch 1,000,000 is too large here: one step needs a 8\.8 GB buffer \(logits\), and the WebGPU device \(SwiftShader\) allows at most 128\.0 MB per buffer \(maxStorageBufferBindingSize\); and one step's buffers take [\d.]+ GB in all, more than 2\.0 GB \(a quarter of the 8 GB this browser reports, at most 2 GB\)\. At most [\d,]+ fits\.$/,
    );
    const layout = buildParameterLayout(configForPreset('small', 147, 16));
    const deviceOnly: TrainingLimits = { ...swiftShader, memory: { bytes: 1e15, source: 'x' } };
    expect(maxBatch(layout, 16, deviceOnly)).toBe(14_266);
    expect(14_266 * 16 * 147 * 4).toBeLessThanOrEqual(128 * MiB);
    expect(14_267 * 16 * 147 * 4).toBeGreaterThan(128 * MiB);
  });

  it('bound the batch by the memory budget on the CPU, the largest batch that fits', () => {
    const layout = buildParameterLayout(configForPreset('small', 147, 16));
    const max = maxBatch(layout, 16, cpu);
    expect(stepFootprint(layout, max, 16).totalBytes).toBeLessThanOrEqual(GiB);
    expect(stepFootprint(layout, max + 1, 16).totalBytes).toBeGreaterThan(GiB);
    expect(settingsProblems({ ...DEFAULT_SETTINGS, batch: max }, cpu)).toEqual([]);
    expect(settingsProblems({ ...DEFAULT_SETTINGS, batch: max + 1 }, cpu)[0].message).toMatch(
      new RegExp(
        `^Batch ${(max + 1).toLocaleString('en')} is too large here: one step's buffers take 1\\.0 GB in all, more than 1\\.0 GB \\(the 1 GB the page allows when the browser does not say its memory\\)\\. At most ${max.toLocaleString('en')} fits\\.$`,
      ),
    );
  });

  it('derive the memory budget from the reported memory', () => {
    expect(memoryBudget(4)).toEqual({
      bytes: GiB,
      source: 'a quarter of the 4 GB this browser reports, at most 2 GB',
    });
    expect(memoryBudget(8).bytes).toBe(2 * GiB);
    expect(memoryBudget(0.5).bytes).toBe(GiB / 8);
  });
});

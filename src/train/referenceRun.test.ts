import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { followsReferenceRun, REFERENCE_RUN, referencePointAt } from './referenceRun';
import { DEFAULT_SETTINGS } from './trainingProtocol';

const MEASURED = path.resolve(
  import.meta.dirname,
  '../../bench/results/cpu-2core-2026-12-04/grammatical-run3.jsonl',
);

describe('the reference run the Train view quotes', () => {
  it('is the measured curve of the default recipe, point for point', () => {
    const lines = fs
      .readFileSync(MEASURED, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const curve = lines
      .filter((l) => l.metric === 'validity_curve')
      .map((l) => ({ step: l.step, grammatical: l.value, seconds: l.seconds }));
    expect(REFERENCE_RUN.curve).toEqual(curve);
    // …measured with the settings the view offers by default.
    const first = lines[0];
    for (const f of ['preset', 'batch', 'lr', 'steps', 'weighting'] as const) {
      expect(first[f]).toBe(DEFAULT_SETTINGS[f]);
    }
  });

  it('is what to expect only for the settings that shape the curve', () => {
    expect(followsReferenceRun(DEFAULT_SETTINGS)).toBe(true);
    // Where it runs and how often it reports do not change the curve…
    expect(followsReferenceRun({ ...DEFAULT_SETTINGS, backend: 'cpu', sampleEvery: 10 })).toBe(
      true,
    );
    // …the learning rate, the batch or the size do.
    expect(followsReferenceRun({ ...DEFAULT_SETTINGS, lr: 1e-3 })).toBe(false);
    expect(followsReferenceRun({ ...DEFAULT_SETTINGS, batch: 64 })).toBe(false);
    expect(followsReferenceRun({ ...DEFAULT_SETTINGS, preset: 'tiny' })).toBe(false);
  });

  it('finds the first step that reached a share', () => {
    expect(referencePointAt(0.5)).toMatchObject({ step: 2200, grammatical: 0.55 });
    expect(referencePointAt(0.8)?.step).toBe(3600);
    expect(referencePointAt(0.9)).toBeNull();
  });
});

import { DEFAULT_SETTINGS, type TrainingSettings } from './trainingProtocol';

/**
 * What to expect of a run: the default recipe as measured by `bench -- train --parts
 * grammatical --target 0.8` on the 2-core development machine's CPU (no GPU), nearly idle, in
 * bench/results/cpu-2core-2026-12-04/grammatical-run3.jsonl (referenceRun.test.ts keeps the two
 * equal; under a load of 13 the same run took 115 s, grammatical-run1.jsonl). Each point: the step, the share of 200 samples (article sampler, S = L, T = 1) that
 * were grammatical, and the seconds of training by then.
 */
export const REFERENCE_RUN = {
  machine: 'a 2-core CPU without a GPU',
  settings: DEFAULT_SETTINGS,
  curve: [
    { step: 200, grammatical: 0, seconds: 1.5 },
    { step: 400, grammatical: 0.035, seconds: 2.6 },
    { step: 600, grammatical: 0.04, seconds: 3.7 },
    { step: 800, grammatical: 0.1, seconds: 4.9 },
    { step: 1000, grammatical: 0.195, seconds: 6 },
    { step: 1200, grammatical: 0.265, seconds: 7.1 },
    { step: 1400, grammatical: 0.32, seconds: 8.1 },
    { step: 1600, grammatical: 0.305, seconds: 9.2 },
    { step: 1800, grammatical: 0.395, seconds: 10.4 },
    { step: 2000, grammatical: 0.46, seconds: 11.4 },
    { step: 2200, grammatical: 0.55, seconds: 12.5 },
    { step: 2400, grammatical: 0.535, seconds: 13.6 },
    { step: 2600, grammatical: 0.61, seconds: 14.6 },
    { step: 2800, grammatical: 0.63, seconds: 15.7 },
    { step: 3000, grammatical: 0.71, seconds: 16.7 },
    { step: 3200, grammatical: 0.725, seconds: 17.9 },
    { step: 3400, grammatical: 0.77, seconds: 19 },
    { step: 3600, grammatical: 0.8, seconds: 20.2 },
  ],
} as const;

export type ReferencePoint = (typeof REFERENCE_RUN.curve)[number];

/** The fields that shape the learning curve (not where it runs, nor how often it reports). */
const CURVE_FIELDS = ['corpus', 'preset', 'batch', 'lr', 'weighting', 'steps'] as const;

/** Whether a run with these settings is the measured one (so its curve is what to expect). */
export function followsReferenceRun(settings: TrainingSettings): boolean {
  return CURVE_FIELDS.every((f) => settings[f] === REFERENCE_RUN.settings[f]);
}

/** The first measured point at or above a share of grammatical samples, if any. */
export function referencePointAt(share: number): ReferencePoint | null {
  return REFERENCE_RUN.curve.find((p) => p.grammatical >= share) ?? null;
}

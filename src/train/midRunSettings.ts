/**
 * The settings a run can take on between two steps (a rescue after a divergence, a longer run):
 * they change no buffer, no shape and no random stream. The rest (corpus, size, batch, backend,
 * seed) define the run itself; a change to them is a new run.
 */
import type { TrainingSettings } from './trainingProtocol';

export const MID_RUN_FIELDS = [
  'steps',
  'lr',
  'weighting',
  'checkpointEvery',
  'sampleEvery',
] as const;

export type MidRunField = (typeof MID_RUN_FIELDS)[number];
export type MidRunSettings = Pick<TrainingSettings, MidRunField>;

export const isMidRunField = (field: keyof TrainingSettings): field is MidRunField =>
  (MID_RUN_FIELDS as readonly string[]).includes(field);

export function pickMidRunSettings(s: TrainingSettings): MidRunSettings {
  return {
    steps: s.steps,
    lr: s.lr,
    weighting: s.weighting,
    checkpointEvery: s.checkpointEvery,
    sampleEvery: s.sampleEvery,
  };
}

/** `base` with the mid-run fields that `patch` sets (the others, and the rest of `base`, kept). */
export function withMidRunSettings(
  base: TrainingSettings,
  patch: Partial<MidRunSettings>,
): TrainingSettings {
  const next: TrainingSettings = { ...base };
  for (const field of MID_RUN_FIELDS) {
    if (patch[field] !== undefined) (next as Record<MidRunField, unknown>)[field] = patch[field];
  }
  return next;
}

/**
 * The message for a step count below the step a run has reached; `what` says where that step
 * is ("the run", "the checkpoint", "the stored run").
 */
export const stepsBehind = (what: string, at: number, steps: number): string =>
  `Steps: ${what} is at step ${at}, so at least ${at}, not ${steps}.`;

/** The fields that define a run and differ between two settings (a resume keeps the run's). */
export function runDefiningDifferences(
  a: TrainingSettings,
  b: TrainingSettings,
): (keyof TrainingSettings)[] {
  return (Object.keys(a) as (keyof TrainingSettings)[]).filter(
    (k) => !isMidRunField(k) && a[k] !== b[k],
  );
}

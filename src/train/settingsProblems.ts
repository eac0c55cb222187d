/**
 * Every problem with the Train panel's settings at once, each naming its field, so the panel
 * can show them as they are typed and Start never fails on the first of several. The limits of
 * the batch come from the machine (trainingLimits.ts).
 */
import { corpusNames, getCorpus } from '../core/corpus';
import { buildParameterLayout } from '../model/parameterLayout';
import { batchProblem, type TrainingLimits } from './trainingLimits';
import { configForPreset, MODEL_PRESETS, type TrainingSettings } from './trainingProtocol';

export type SettingsField = keyof TrainingSettings;

export interface SettingsProblem {
  field: SettingsField;
  message: string;
}

/** The panel's label of each field, which every message starts with. */
export const SETTING_LABELS: Record<SettingsField, string> = {
  corpus: 'Corpus',
  preset: 'Size preset',
  steps: 'Steps',
  batch: 'Batch',
  lr: 'Learning rate',
  weighting: 'Weighting',
  backend: 'Backend',
  seed: 'Seed',
  checkpointEvery: 'Checkpoint every',
  sampleEvery: 'Samples every',
};

/**
 * The longest run the panel starts. The loss history is bounded on its own (lossHistory.ts: at
 * this many steps each of its points is the mean of 256 steps).
 */
export const MAX_TRAINING_STEPS = 1_000_000;

const shown = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en') : JSON.stringify(v));

/**
 * What is wrong with the settings, in the panel's words; empty when a run can start. Without
 * limits the batch is only checked to be a whole number ≥ 1.
 */
export function settingsProblems(
  s: TrainingSettings,
  limits: TrainingLimits | null = null,
): SettingsProblem[] {
  const problems: SettingsProblem[] = [];
  const add = (field: SettingsField, message: string) =>
    problems.push({ field, message: `${SETTING_LABELS[field]}: ${message}` });
  const count = (field: SettingsField, max = Infinity) => {
    const v = s[field] as number;
    if (!Number.isInteger(v) || v < 1)
      add(field, `must be a whole number of at least 1, not ${shown(v)}.`);
    else if (v > max) add(field, `at most ${max.toLocaleString('en')}, not ${shown(v)}.`);
  };
  count('steps', MAX_TRAINING_STEPS);
  count('batch');
  if (!(Number.isFinite(s.lr) && s.lr > 0))
    add('lr', `must be a number above 0, not ${shown(s.lr)}.`);
  count('checkpointEvery');
  count('sampleEvery');
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 0xffffffff) {
    add('seed', `must be a whole number from 0 to 4,294,967,295, not ${shown(s.seed)}.`);
  }
  if (s.weighting !== 'elbo' && s.weighting !== 'mean')
    add('weighting', `must be elbo or mean, not ${shown(s.weighting)}.`);
  if (s.backend !== 'auto' && s.backend !== 'webgpu' && s.backend !== 'cpu')
    add('backend', `must be auto, webgpu or cpu, not ${shown(s.backend)}.`);
  const knownPreset = s.preset in MODEL_PRESETS;
  if (!knownPreset) add('preset', `unknown model size ${shown(s.preset)}.`);
  const knownCorpus = corpusNames().includes(s.corpus);
  if (!knownCorpus)
    add('corpus', `unknown corpus ${shown(s.corpus)} (known: ${corpusNames().join(', ')}).`);
  const batchIsCount = Number.isInteger(s.batch) && s.batch >= 1;
  if (limits && knownPreset && knownCorpus && batchIsCount) {
    const corpus = getCorpus(s.corpus);
    const layout = buildParameterLayout(
      configForPreset(s.preset, corpus.vocab.size, corpus.seqLen),
    );
    const problem = batchProblem(layout, corpus.seqLen, s.batch, limits);
    if (problem) problems.push({ field: 'batch', message: problem });
  }
  return problems;
}

/** Throws, listing every problem, when the settings cannot describe a run. */
export function checkSettings(s: TrainingSettings, limits: TrainingLimits | null = null): void {
  const problems = settingsProblems(s, limits);
  if (problems.length > 0) throw new Error(problems.map((p) => p.message).join(' '));
}

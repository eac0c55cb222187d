/**
 * The run a newcomer sees play on arrival, before the model has even loaded: a trace of the
 * generation view's default configuration, computed once by the shipped model and shipped beside
 * it (`models/<id>/arrival-trace.json`, written by `npm run --silent arrival-trace`). It is shown
 * only when it is exactly the run the current configuration would make with that model (same
 * sampler options, same starting window), so a link with other settings never shows it, and it
 * is labelled as recorded. A unit test re-computes it with the model and compares.
 */
import {
  createInitialState,
  parseTrace,
  runSamplerToEnd,
  type LogitsModel,
  type SamplerTrace,
} from '../core/sampler';
import type { ModelManifest } from '../model/manifest';
import type { GenerationConfig } from './generationConfig';
import { vocabularyOf } from './modelVocabulary';
import { planRuns, type PlannedRun } from './runPlan';

export { ARRIVAL_TRACE_FILE } from './arrivalPrefetch';

/** The single run the configuration plans for this model, or null (problems, two runs). */
export function plannedSingleRun(
  config: GenerationConfig,
  manifest: ModelManifest,
): PlannedRun | null {
  const vocab = vocabularyOf(manifest);
  if (!vocab) return null;
  const plan = planRuns(config, {
    vocab,
    seqLen: manifest.seqLen,
    timeConditioned: manifest.io.t !== null,
    kind: manifest.kind,
  });
  return plan.problems.length === 0 && plan.runs.length === 1 ? plan.runs[0] : null;
}

/** Whether the trace is the run that the configuration would make with this model. */
export function traceMatchesConfig(
  trace: SamplerTrace,
  config: GenerationConfig,
  manifest: ModelManifest,
): boolean {
  const planned = plannedSingleRun(config, manifest);
  if (!planned || trace.vocabSize !== manifest.vocab.length) return false;
  if (JSON.stringify(trace.options) !== JSON.stringify(planned.options)) return false;
  const start = createInitialState(planned.init, manifest.special.mask, planned.options).tokens;
  return (
    start.length === trace.initial.length && start.every((token, i) => token === trace.initial[i])
  );
}

/** Computes the arrival trace: the configuration's run, made with the model. */
export async function computeArrivalTrace(
  model: LogitsModel,
  config: GenerationConfig,
  manifest: ModelManifest,
): Promise<SamplerTrace> {
  const planned = plannedSingleRun(config, manifest);
  if (!planned) throw new Error('the configuration does not plan exactly one run for this model');
  return runSamplerToEnd(model, planned.init, planned.options);
}

/** Reads a shipped arrival trace; null when it is missing or broken (the page then waits). */
export function readArrivalTrace(text: string): SamplerTrace | null {
  const parsed = parseTrace(text);
  return parsed.ok ? parsed.trace : null;
}

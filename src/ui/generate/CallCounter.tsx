import type { GenerationRun } from '../../state/generationRun';

/**
 * Model calls of a run and the worker's measured time per call. data-calls counts the calls where
 * they are made, data-records the trace records: the two agree for a correct sampler.
 */
export function CallCounter({ run, label }: { run: GenerationRun; label: string }) {
  const times = run.callMs.filter((ms) => Number.isFinite(ms));
  const mean = times.length ? times.reduce((a, b) => a + b, 0) / times.length : null;
  const last = times.length ? times[times.length - 1] : null;
  return (
    <output
      className="counter"
      aria-label={label}
      data-calls={run.modelCalls}
      data-records={run.records.length}
    >
      {run.source === 'import'
        ? `${run.records.length} recorded calls, replayed without the model`
        : run.source === 'recorded'
          ? `${run.records.length} model calls, recorded`
          : `${run.modelCalls} model call${run.modelCalls === 1 ? '' : 's'}`}
      {mean !== null && last !== null
        ? ` · ${mean.toFixed(2)} ms per call (last ${last.toFixed(2)} ms)`
        : ''}
    </output>
  );
}

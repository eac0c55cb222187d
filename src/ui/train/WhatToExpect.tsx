import type { TrainingState } from '../../state/trainingSlice';
import { followsReferenceRun, REFERENCE_RUN, referencePointAt } from '../../train/referenceRun';
import { formatDuration, MODEL_PRESETS } from '../../train/trainingProtocol';

const count = (n: number) => n.toLocaleString('en');

/**
 * One sentence under the heading: what a run of these settings will take and give, from the
 * measured run of the default recipe (referenceRun.ts); once finished, what this one took.
 */
export function WhatToExpect({ t }: { t: TrainingState }) {
  const s = t.settings;
  const p = MODEL_PRESETS[s.preset];
  const model = `a ${p.layers}-layer model (d = ${p.dModel})`;
  if (t.status === 'finished') {
    const last = t.grammatical.at(-1);
    return (
      <p className="watch" role="status" aria-label="What the run gave">
        Finished: {count(t.step)} steps
        {t.trainedSeconds > 0 ? ` in ${formatDuration(t.trainedSeconds)} of training here` : ''}
        {last ? `; ${last.valid} of its last ${last.total} samples are grammatical` : ''}. Use this
        model sends it to Generate and Explore; Download saves its two files.
      </p>
    );
  }
  const end = REFERENCE_RUN.curve.at(-1)!;
  const half = referencePointAt(0.5)!;
  const most = referencePointAt(0.8)!;
  // The measured run stopped at its target; its whole length, at the same pace.
  const whole = formatDuration((end.seconds * REFERENCE_RUN.settings.steps) / end.step);
  const percent = Math.round(most.grammatical * 100);
  if (followsReferenceRun(s)) {
    return (
      <p className="watch">
        {count(s.steps)} steps of {s.batch} sentences on {model}: about {whole} of training on{' '}
        {REFERENCE_RUN.machine} (longer while other programs keep it busy). Measured there, half its
        samples were grammatical by step {count(half.step)} and {percent}% by step{' '}
        {count(most.step)}. Watch the loss fall and the samples turn from word salad into sentences.
      </p>
    );
  }
  return (
    <p className="watch">
      {count(s.steps)} steps of {s.batch} sentences on {model}. How long it takes shows after the
      first steps. The default settings are the measured ones: {percent}% grammatical samples after{' '}
      {formatDuration(most.seconds)} of training on {REFERENCE_RUN.machine}.
    </p>
  );
}

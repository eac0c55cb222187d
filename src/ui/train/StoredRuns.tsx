import { useAppStore } from '../../state/store';
import type { TrainingState } from '../../state/trainingSlice';
import type { StoredRun } from '../../train/checkpointStore';
import { runDefiningDifferences } from '../../train/midRunSettings';
import { SETTING_LABELS } from '../../train/settingsProblems';
import { ConfirmButton } from './ConfirmButton';

/**
 * Runs stored in this browser: the ones no tab holds, offered to resume or discard (each has its
 * own record, so runs of two tabs never overwrite each other), the ones another tab is running,
 * and the ones whose checkpoint does not read back whole (never offered).
 */
export function StoredRuns({ t }: { t: TrainingState }) {
  const idle = t.status === 'idle';
  return (
    <>
      {t.elsewhere.map((e) => (
        <p
          key={e.runId}
          className="train-stored small"
          role="status"
          aria-label="Run in another tab"
        >
          A training run is going on in another tab of this page
          {e.step !== null
            ? ` (step ${e.step}${e.steps !== null ? ` of ${e.steps}` : ''}, ${e.status})`
            : ''}
          : it keeps its own checkpoint, and can be resumed here once that tab lets it go.
        </p>
      ))}
      {idle &&
        t.stored.map((run, i) =>
          run.step >= run.steps ? (
            <FinishedRun key={run.runId} run={run} t={t} first={i === 0} />
          ) : (
            <UnfinishedRun key={run.runId} run={run} t={t} first={i === 0} />
          ),
        )}
      {t.unreadable.length > 0 && (
        <p className="small muted" role="note" aria-label="Unreadable runs">
          {t.unreadable.length === 1 ? 'A stored run' : `${t.unreadable.length} stored runs`} could
          not be read back whole and {t.unreadable.length === 1 ? 'is' : 'are'} not offered:{' '}
          {t.unreadable.map((u) => u.reason).join('; ')}.
        </p>
      )}
    </>
  );
}

function describe(run: StoredRun) {
  return `${run.preset}${run.corpus !== 'toy-sentences' ? `, ${run.corpus}` : ''}`;
}

/** A run stopped before its last step: resumed with its own settings, or the fields' mid-run ones. */
function UnfinishedRun({ run, t, first }: { run: StoredRun; t: TrainingState; first: boolean }) {
  const resume = useAppStore((s) => s.resumeStoredCheckpoint);
  const own = run.runId === t.settingsFrom;
  const kept = own ? runDefiningDifferences(t.settings, run.settings) : [];
  return (
    <div className="train-stored" role="status">
      {first ? 'A checkpoint of an earlier run was found' : 'Another stored run'} (step {run.step}{' '}
      of {run.steps}, {describe(run)}).{' '}
      {own
        ? 'Resume takes the learning rate, steps, weighting and intervals from the settings.'
        : 'Resume continues it with its own settings.'}{' '}
      {kept.length > 0 &&
        `It keeps its own ${kept.map((k) => `${SETTING_LABELS[k].toLowerCase()} (${String(run.settings[k])})`).join(', ')}: a change to those is a new run (Start training). `}
      <button type="button" className="primary" onClick={() => void resume(run.runId)}>
        {own || first ? 'Resume training' : 'Resume this run'}
      </button>{' '}
      <DiscardRun run={run} />
    </div>
  );
}

/**
 * A run that reached its last step: there is nothing to resume, so it offers its model (the
 * weight average of its checkpoint), and training on only when Steps is raised above its step.
 */
function FinishedRun({ run, t, first }: { run: StoredRun; t: TrainingState; first: boolean }) {
  const resume = useAppStore((s) => s.resumeStoredCheckpoint);
  const exportRun = useAppStore((s) => s.exportStoredRun);
  const own = run.runId === t.settingsFrom;
  const further = own && t.settings.steps > run.step;
  const busy = t.exporting !== null;
  return (
    <div className="train-stored train-finished" role="status" aria-label="A finished run">
      {first ? 'A finished run is stored' : 'Another finished run'} ({run.step.toLocaleString('en')}{' '}
      steps, {describe(run)}).{' '}
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => exportRun(run.runId, 'use')}
      >
        Use this model
      </button>{' '}
      <button type="button" disabled={busy} onClick={() => exportRun(run.runId, 'download')}>
        Download
      </button>{' '}
      {further ? (
        <button type="button" onClick={() => void resume(run.runId)}>
          Train on to step {t.settings.steps.toLocaleString('en')}
        </button>
      ) : (
        own && (
          <span className="small muted">
            Raise Steps above {run.step.toLocaleString('en')} to train it further.{' '}
          </span>
        )
      )}{' '}
      <DiscardRun run={run} />
    </div>
  );
}

/** Deletes a stored run and its checkpoint, asking first. */
function DiscardRun({ run }: { run: StoredRun }) {
  const discard = useAppStore((s) => s.discardStoredRun);
  return (
    <ConfirmButton
      label="Discard"
      question={`Delete this run and its checkpoint (step ${run.step})?`}
      confirm="Delete it"
      onConfirm={() => void discard(run.runId)}
    />
  );
}

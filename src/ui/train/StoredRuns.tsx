import { useAppStore } from '../../state/store';
import type { TrainingState } from '../../state/trainingSlice';
import { runDefiningDifferences } from '../../train/midRunSettings';
import { SETTING_LABELS } from '../../train/settingsProblems';
import { ConfirmButton } from './ConfirmButton';

/**
 * Runs stored in this browser: the ones no tab holds, offered to resume or discard (each has its
 * own record, so runs of two tabs never overwrite each other), the ones another tab is running,
 * and the ones whose checkpoint does not read back whole (never offered).
 */
export function StoredRuns({ t }: { t: TrainingState }) {
  const resume = useAppStore((s) => s.resumeStoredCheckpoint);
  const discard = useAppStore((s) => s.discardStoredRun);
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
        t.stored.map((run, i) => {
          const own = run.runId === t.settingsFrom;
          const kept = own ? runDefiningDifferences(t.settings, run.settings) : [];
          return (
            <div key={run.runId} className="train-stored" role="status">
              {i === 0 ? 'A checkpoint of an earlier run was found' : 'Another stored run'} (step{' '}
              {run.step} of {run.steps}, {run.preset}
              {run.corpus !== 'toy-sentences' ? `, ${run.corpus}` : ''}).{' '}
              {own
                ? 'Resume takes the learning rate, steps, weighting and intervals from the fields above.'
                : 'Resume continues it with its own settings.'}{' '}
              {kept.length > 0 &&
                `It keeps its own ${kept.map((k) => `${SETTING_LABELS[k].toLowerCase()} (${String(run.settings[k])})`).join(', ')}: a change to those is a new run (Start training). `}
              <button type="button" onClick={() => void resume(run.runId)}>
                {own || i === 0 ? 'Resume training' : 'Resume this run'}
              </button>{' '}
              <ConfirmButton
                label="Discard"
                question={`Delete this run and its checkpoint (step ${run.step})?`}
                confirm="Delete it"
                onConfirm={() => void discard(run.runId)}
              />
            </div>
          );
        })}
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

import { useEffect } from 'react';
import { useAppStore } from '../../state/store';
import { readHash } from '../../state/urlHash';
import { onRunNews } from '../../state/trainingPresence';
import { isTrainingBusy, trainingSettingsProblems } from '../../state/trainingSlice';
import { followsReferenceRun, REFERENCE_RUN } from '../../train/referenceRun';
import { formatDuration } from '../../train/trainingProtocol';
import { ConfirmButton } from './ConfirmButton';
import { GrammaticalChart } from './GrammaticalChart';
import { LossByRatioChart } from './LossByRatioChart';
import { LossChart } from './LossChart';
import { SamplePainting } from './SamplePainting';
import { StoredRuns } from './StoredRuns';
import { TrainSettings } from './TrainSettings';
import { WhatToExpect } from './WhatToExpect';
import './train.css';

/** #faults=1 in the URL shows the fault-injection controls (used by the end-to-end tests). */
const faultInjection = () => readHash().faults === '1';

/**
 * The training view, picture first: what to expect, the controls, the live loss and the samples
 * of the current weights; the settings beside them. The loop runs in a worker
 * (src/train/trainingWorker.ts); this view only renders the store.
 */
export function TrainView() {
  const t = useAppStore((s) => s.training);
  const a = useAppStore.getState();
  const findStoredCheckpoint = useAppStore((s) => s.findStoredCheckpoint);
  const probeTrainingAdapter = useAppStore((s) => s.probeTrainingAdapter);
  const noteRunNews = useAppStore((s) => s.noteRunNews);
  useEffect(() => {
    void findStoredCheckpoint();
    void probeTrainingAdapter();
    // Another tab's run moving on (or ending) updates what this panel says of it.
    return onRunNews(noteRunNews);
  }, [findStoredCheckpoint, probeTrainingAdapter, noteRunNews]);

  const s = t.settings;
  const problems = trainingSettingsProblems(t);
  const progress = s.steps ? Math.min(1, t.step / s.steps) : 0;
  const hasRun = t.status !== 'idle' && t.status !== 'starting';
  const exportable = hasRun && t.exporting === null && t.status !== 'error';
  return (
    <section className="view train with-knobs" aria-label="Train">
      <div className="stage">
        <div className="stage-heading">
          <h2>Train a diffusion model in this tab</h2>
          <WhatToExpect t={t} />
        </div>
        <StoredRuns t={t} />
        <div className="stage-bar train-buttons">
          {t.status === 'idle' && (
            <button
              type="button"
              className="primary"
              disabled={problems.length > 0}
              onClick={() => a.startTraining()}
            >
              Start training
            </button>
          )}
          {(t.status === 'running' || t.status === 'pausing' || t.status === 'starting') && (
            <button
              type="button"
              disabled={t.status !== 'running'}
              onClick={() => a.pauseTraining()}
            >
              Pause
            </button>
          )}
          {t.status === 'paused' && (
            <button
              type="button"
              className="primary"
              disabled={problems.length > 0}
              onClick={() => a.resumeTraining()}
            >
              Resume
            </button>
          )}
          {t.status !== 'idle' && (
            <>
              <button
                type="button"
                className={t.status === 'finished' ? 'primary' : undefined}
                disabled={!exportable}
                onClick={() => a.useTrainedModel()}
              >
                Use this model
              </button>
              <button type="button" disabled={!exportable} onClick={() => a.downloadTrainedModel()}>
                Download
              </button>
            </>
          )}
          {t.status !== 'idle' && (
            <ConfirmButton
              label="Reset"
              question={`Discard this run and its checkpoint (step ${t.step})?`}
              confirm="Discard"
              disabled={t.status === 'starting'}
              onConfirm={() => a.resetTraining()}
            />
          )}
          {faultInjection() && t.backend === 'webgpu' && t.status === 'running' && (
            <button type="button" onClick={() => a.loseTrainingDevice()}>
              Simulate a lost GPU device
            </button>
          )}
          <output
            aria-label="Training status"
            className="backend"
            data-status={t.status}
            data-backend={t.backend ?? ''}
            data-step={t.step}
          >
            {t.status}
            {t.backend ? ` · ${t.backend === 'webgpu' ? 'WebGPU' : 'CPU reference'}` : ''}
          </output>
        </div>
        {t.message && (
          <p className="error-panel" role="alert">
            {t.message}
          </p>
        )}
        {t.handedOff && (
          <p className="small" role="status">
            Loaded into the Generate and Explore views: {t.handedOff}
          </p>
        )}
        <div className="train-progress">
          <progress aria-label="Training progress" max={s.steps} value={t.step} />
          <span className="small">
            step <strong>{t.step.toLocaleString('en')}</strong> / {s.steps.toLocaleString('en')} (
            {Math.round(progress * 100)}%)
            {t.trainedSeconds > 0 && ` · ${formatDuration(t.trainedSeconds)}`}
            {t.stepsPerSecond > 0 && (
              <>
                {' '}
                · <span aria-label="Steps per second">{t.stepsPerSecond.toFixed(2)}</span> steps/s ·{' '}
                {Math.round(t.tokensPerSecond).toLocaleString('en')} tokens/s
                {isTrainingBusy(t) &&
                  t.etaSeconds !== null &&
                  ` · ETA ${formatDuration(t.etaSeconds)}`}
              </>
            )}
            {t.parameters > 0 && ` · ${t.parameters.toLocaleString('en')} parameters`}
            {t.checkpointStep !== null && ` · checkpoint at step ${t.checkpointStep}`}
          </span>
        </div>
        {t.backendNote && <p className="small muted">Running on: {t.backendNote}</p>}

        <div className="train-figures">
          <LossChart history={t.history} totalSteps={s.steps} />
          <GrammaticalChart
            points={t.grammatical}
            totalSteps={s.steps}
            reference={followsReferenceRun(s) ? REFERENCE_RUN.curve : null}
          />
        </div>

        <div aria-label="Samples" role="region" className="train-samples">
          <h3>
            Samples from the current weights
            {t.samples ? ` (step ${t.samples.step.toLocaleString('en')})` : ''}
          </h3>
          {t.samples ? (
            <SamplePainting samples={t.samples} corpus={s.corpus} />
          ) : (
            <p className="small muted">
              Every {s.sampleEvery} steps (at most once a second), a few sentences written by the
              current weights appear here, each one replayable call by call.
            </p>
          )}
        </div>
        <LossByRatioChart buckets={t.ratioLoss} weighting={s.weighting} />
      </div>
      <TrainSettings t={t} problems={problems} />
    </section>
  );
}

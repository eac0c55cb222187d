import { useEffect } from 'react';
import { corpusNames } from '../../core/corpus';
import { useAppStore } from '../../state/store';
import { readHash } from '../../state/urlHash';
import { onRunNews } from '../../state/trainingPresence';
import { trainingSettingsProblems, type TrainingState } from '../../state/trainingSlice';
import type { SettingsField } from '../../train/settingsProblems';
import {
  type BackendChoice,
  formatDuration,
  MODEL_PRESETS,
  PRESET_NAMES,
  type ModelPreset,
} from '../../train/trainingProtocol';
import { NumberField } from '../generate/NumberField';
import { LossByRatioChart } from './LossByRatioChart';
import { LossChart } from './LossChart';
import { ConfirmButton } from './ConfirmButton';
import { SamplePainting } from './SamplePainting';
import { SettingsProblems } from './SettingsProblems';
import { StoredRuns } from './StoredRuns';
import './train.css';

const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: 'auto (WebGPU on a GPU, CPU on a software adapter)',
  webgpu: 'WebGPU',
  cpu: 'CPU reference',
};

/** #faults=1 in the URL shows the fault-injection controls (used by the end-to-end tests). */
const faultInjection = () => readHash().faults === '1';

const busy = (t: TrainingState) =>
  t.status === 'starting' || t.status === 'running' || t.status === 'pausing';

/**
 * The training panel: settings, Start/Pause/Resume/Reset, the live loss, throughput and
 * samples, and the hand-off of the weights to the other views. The loop runs in a worker
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
  // The fields that define a run are fixed once it exists; the mid-run ones (learning rate,
  // steps, weighting, intervals) can change whenever it is not running, for a rescue.
  const locked = t.status !== 'idle';
  const running = busy(t);
  const problems = trainingSettingsProblems(t);
  const invalid = (field: SettingsField) => problems.some((p) => p.field === field);
  const progress = s.steps ? Math.min(1, t.step / s.steps) : 0;
  const hasRun = t.status !== 'idle' && t.status !== 'starting';
  return (
    <section className="panel train" aria-label="Train">
      <p className="muted small">
        Train a masked-diffusion model in this tab: each step masks a batch of sentences at a random
        ratio t and teaches the network to fill the gaps. The loop runs in a worker, on WebGPU or on
        the CPU reference.
      </p>
      <StoredRuns t={t} />
      <fieldset className="row train-settings">
        <label className="field">
          <span>Corpus</span>
          <select
            aria-label="Corpus"
            disabled={locked}
            value={s.corpus}
            onChange={(e) => a.setTrainingSettings({ corpus: e.target.value })}
          >
            {corpusNames().map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Size preset</span>
          <select
            aria-label="Size preset"
            disabled={locked}
            value={s.preset}
            onChange={(e) => a.setTrainingSettings({ preset: e.target.value as ModelPreset })}
          >
            {PRESET_NAMES.map((n) => {
              const p = MODEL_PRESETS[n];
              return (
                <option key={n} value={n}>
                  {n} (d={p.dModel}, {p.layers} layer{p.layers > 1 ? 's' : ''})
                </option>
              );
            })}
          </select>
        </label>
        <NumberField
          label="Steps"
          value={s.steps}
          min={1}
          step={1}
          disabled={running}
          invalid={invalid('steps')}
          onChange={(v) => v !== null && a.setTrainingSettings({ steps: v })}
        />
        <NumberField
          label="Batch"
          value={s.batch}
          min={1}
          step={1}
          disabled={locked}
          invalid={invalid('batch')}
          onChange={(v) => v !== null && a.setTrainingSettings({ batch: v })}
        />
        <NumberField
          label="Learning rate"
          value={s.lr}
          min={0}
          disabled={running}
          invalid={invalid('lr')}
          onChange={(v) => v !== null && a.setTrainingSettings({ lr: v })}
        />
        <label className="field">
          <span>Weighting</span>
          <select
            aria-label="Weighting"
            disabled={running}
            value={s.weighting}
            onChange={(e) =>
              a.setTrainingSettings({ weighting: e.target.value as 'elbo' | 'mean' })
            }
          >
            <option value="elbo">elbo (1/t)</option>
            <option value="mean">mean</option>
          </select>
        </label>
        <label className="field">
          <span>Backend</span>
          <select
            aria-label="Training backend"
            disabled={locked}
            value={s.backend}
            onChange={(e) => a.setTrainingSettings({ backend: e.target.value as BackendChoice })}
          >
            {(Object.keys(BACKEND_LABELS) as BackendChoice[]).map((b) => (
              <option key={b} value={b}>
                {BACKEND_LABELS[b]}
              </option>
            ))}
          </select>
        </label>
        <NumberField
          label="Checkpoint every"
          value={s.checkpointEvery}
          min={1}
          step={1}
          disabled={running}
          invalid={invalid('checkpointEvery')}
          onChange={(v) => v !== null && a.setTrainingSettings({ checkpointEvery: v })}
        />
        <NumberField
          label="Samples every"
          value={s.sampleEvery}
          min={1}
          step={1}
          disabled={running}
          invalid={invalid('sampleEvery')}
          onChange={(v) => v !== null && a.setTrainingSettings({ sampleEvery: v })}
        />
      </fieldset>
      <SettingsProblems problems={problems} />

      <div className="row train-buttons">
        {t.status === 'idle' && (
          <button type="button" disabled={problems.length > 0} onClick={() => a.startTraining()}>
            Start training
          </button>
        )}
        {(t.status === 'running' || t.status === 'pausing') && (
          <button type="button" disabled={t.status === 'pausing'} onClick={() => a.pauseTraining()}>
            Pause
          </button>
        )}
        {t.status === 'paused' && (
          <button type="button" disabled={problems.length > 0} onClick={() => a.resumeTraining()}>
            Resume
          </button>
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
        <button
          type="button"
          disabled={!hasRun || t.exporting !== null || t.status === 'error'}
          onClick={() => a.useTrainedModel()}
        >
          Use this model
        </button>
        <button
          type="button"
          disabled={!hasRun || t.exporting !== null || t.status === 'error'}
          onClick={() => a.downloadTrainedModel()}
        >
          Download
        </button>
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
      {t.backendNote && <p className="small muted">Running on: {t.backendNote}</p>}
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
          step <strong>{t.step}</strong> / {s.steps} ({Math.round(progress * 100)}%)
          {t.stepsPerSecond > 0 && (
            <>
              {' '}
              · <span aria-label="Steps per second">{t.stepsPerSecond.toFixed(2)}</span> steps/s ·{' '}
              {Math.round(t.tokensPerSecond).toLocaleString('en')} tokens/s
              {busy(t) && t.etaSeconds !== null && ` · ETA ${formatDuration(t.etaSeconds)}`}
            </>
          )}
          {t.parameters > 0 && ` · ${t.parameters.toLocaleString('en')} parameters`}
          {t.checkpointStep !== null && ` · checkpoint at step ${t.checkpointStep}`}
        </span>
      </div>

      <LossChart history={t.history} totalSteps={s.steps} />
      <LossByRatioChart buckets={t.ratioLoss} weighting={s.weighting} />

      <div aria-label="Samples" role="region" className="train-samples">
        <h3 className="small">
          Samples from the current weights
          {t.samples ? ` (step ${t.samples.step})` : ''}
        </h3>
        {t.samples ? (
          <SamplePainting samples={t.samples} corpus={s.corpus} />
        ) : (
          <p className="small muted">
            Every {s.sampleEvery} steps (at most once a second), a few sentences appear here.
          </p>
        )}
      </div>
    </section>
  );
}

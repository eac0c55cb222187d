import { corpusNames } from '../../core/corpus';
import { useAppStore } from '../../state/store';
import { isTrainingBusy, type TrainingState } from '../../state/trainingSlice';
import type { SettingsField, SettingsProblem } from '../../train/settingsProblems';
import {
  type BackendChoice,
  MODEL_PRESETS,
  PRESET_NAMES,
  type ModelPreset,
} from '../../train/trainingProtocol';
import { NumberField } from '../generate/NumberField';
import { ConfigProblems } from '../generate/ConfigProblems';

const BACKEND_LABELS: Record<BackendChoice, string> = {
  auto: 'auto (WebGPU on a GPU, else the CPU)',
  webgpu: 'WebGPU',
  cpu: 'CPU reference',
};

/**
 * The run's settings, beside the picture: what the run is (data, size, backend: fixed once it
 * exists), how it learns (steps, batch, learning rate, weighting) and how often it reports. The
 * mid-run fields stay open whenever the run is not running, for a rescue.
 */
export function TrainSettings({
  t,
  problems,
}: {
  t: TrainingState;
  /** trainingSettingsProblems(t), computed once by the view. */
  problems: SettingsProblem[];
}) {
  const set = useAppStore((s) => s.setTrainingSettings);
  const s = t.settings;
  const locked = t.status !== 'idle';
  const running = isTrainingBusy(t);
  const invalid = (field: SettingsField) => problems.some((p) => p.field === field);
  return (
    <aside className="knobs train-knobs" aria-label="Training settings">
      <h2 className="knobs-title">Settings</h2>
      <fieldset className="train-fields">
        <legend className="small muted">The model and its data</legend>
        <label className="field span-2">
          <span>Corpus</span>
          <select
            aria-label="Corpus"
            disabled={locked}
            value={s.corpus}
            onChange={(e) => set({ corpus: e.target.value })}
          >
            {corpusNames().map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
        <label className="field span-2">
          <span>Size preset</span>
          <select
            aria-label="Size preset"
            disabled={locked}
            value={s.preset}
            onChange={(e) => set({ preset: e.target.value as ModelPreset })}
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
        <label className="field span-2">
          <span>Backend</span>
          <select
            aria-label="Training backend"
            disabled={locked}
            value={s.backend}
            onChange={(e) => set({ backend: e.target.value as BackendChoice })}
          >
            {(Object.keys(BACKEND_LABELS) as BackendChoice[]).map((b) => (
              <option key={b} value={b}>
                {BACKEND_LABELS[b]}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset className="train-fields">
        <legend className="small muted">How it learns</legend>
        <NumberField
          label="Steps"
          value={s.steps}
          min={1}
          step={1}
          disabled={running}
          invalid={invalid('steps')}
          onChange={(v) => v !== null && set({ steps: v })}
        />
        <NumberField
          label="Batch"
          value={s.batch}
          min={1}
          step={1}
          disabled={locked}
          invalid={invalid('batch')}
          onChange={(v) => v !== null && set({ batch: v })}
        />
        <NumberField
          label="Learning rate"
          value={s.lr}
          min={0}
          disabled={running}
          invalid={invalid('lr')}
          onChange={(v) => v !== null && set({ lr: v })}
        />
        <label className="field">
          <span>Weighting</span>
          <select
            aria-label="Weighting"
            disabled={running}
            value={s.weighting}
            onChange={(e) => set({ weighting: e.target.value as 'elbo' | 'mean' })}
          >
            <option value="elbo">elbo (1/t)</option>
            <option value="mean">mean</option>
          </select>
        </label>
        <NumberField
          label="Checkpoint every"
          value={s.checkpointEvery}
          min={1}
          step={1}
          disabled={running}
          invalid={invalid('checkpointEvery')}
          onChange={(v) => v !== null && set({ checkpointEvery: v })}
        />
        <NumberField
          label="Samples every"
          value={s.sampleEvery}
          min={1}
          step={1}
          disabled={running}
          invalid={invalid('sampleEvery')}
          onChange={(v) => v !== null && set({ sampleEvery: v })}
        />
      </fieldset>
      <ConfigProblems problems={problems} label="Training settings problems" />
      <details className="drawer small">
        <summary>How training works</summary>
        <p>
          Each step draws a batch of sentences from the corpus, masks each at its own random ratio
          t, and teaches the network to fill the gaps: the loss is the cross-entropy at the masked
          positions, weighted 1/t (the ELBO, as the article derives) or averaged plainly. AdamW, a
          warm-up and a cosine decay of the learning rate; samples and exports use a moving average
          of the weights.
        </p>
        <p>
          The loop runs in a worker: on WebGPU with our own WGSL kernels, or on the CPU reference
          (WebAssembly SIMD over the cores) where there is no GPU. A checkpoint goes to this
          browser&apos;s storage every few steps, so a reload or a crash loses little.
        </p>
      </details>
    </aside>
  );
}

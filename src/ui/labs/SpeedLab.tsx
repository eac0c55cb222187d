import { DEFAULT_LENGTHS } from '../../core/speed/decodingSettings';
import type { StrategyName } from '../../core/sampler';
import { useAppStore } from '../../state/store';
import { NumberField } from '../generate/NumberField';
import { ArticleSpeedCalculator } from './ArticleSpeedCalculator';
import { SpeedQualityChart } from './SpeedQualityChart';
import { SpeedTable } from './SpeedTable';

const FIXED_STRATEGIES: { id: StrategyName; label: string }[] = [
  { id: 'llada.low_confidence', label: 'LLaDA low-confidence remasking' },
  { id: 'article', label: 'the article’s schedule' },
];

function settingsProblem(s: {
  lengths: number[];
  samples: number;
  timingSamples: number;
  threshold: number;
  temperature: number;
}): string | null {
  if (s.lengths.length === 0) return 'Choose at least one window length.';
  for (const [name, v] of [
    ['Samples', s.samples],
    ['Timing samples', s.timingSamples],
  ] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 10_000)
      return `${name} must be a whole number from 1 to 10000.`;
  }
  if (!(s.threshold >= 0 && s.threshold <= 1)) return 'The threshold must be in [0, 1].';
  if (!(s.temperature >= 0 && Number.isFinite(s.temperature)))
    return 'The temperature must be ≥ 0.';
  return null;
}

/**
 * The speed lab: how many sequential model calls, how many milliseconds and how many tokens per
 * second it takes each model to write L tokens, and what the shortcut costs in quality.
 */
export function SpeedLab() {
  const pair = useAppStore((s) => s.labPair);
  const settings = useAppStore((s) => s.speedSettings);
  const run = useAppStore((s) => s.speedRun);
  const likelihoodRunning = useAppStore((s) => s.likelihoodRun?.status === 'running');
  const setSettings = useAppStore((s) => s.setSpeedSettings);
  const start = useAppStore((s) => s.runSpeed);
  const stop = useAppStore((s) => s.stopSpeed);
  const trainedLength = pair.diffusion?.seqLen ?? null;
  const problem = settingsProblem(settings);
  const running = run?.status === 'running';
  const rows = run?.rows ?? [];

  return (
    <div className="labs-speed">
      {run && (
        <div className="labs-results" data-testid="speed-results" data-status={run.status}>
          {run.status === 'running' && (
            <p className="small">
              <progress value={run.progress.done} max={run.progress.total || 1} />{' '}
              {run.progress.done} / {run.progress.total} samples
              {run.progress.current ? ` · ${run.progress.current}` : ''}
            </p>
          )}
          {run.error && (
            <p role="alert" className="error-panel small">
              {run.error}
            </p>
          )}
          <SpeedQualityChart rows={rows} />
          <SpeedTable rows={rows} />
        </div>
      )}
      <h4>The article’s arithmetic</h4>
      <ArticleSpeedCalculator rows={rows} />
      <div className="row labs-settings">
        <fieldset>
          <legend>Window lengths L</legend>
          {DEFAULT_LENGTHS.map((L) => (
            <label key={L}>
              <input
                type="checkbox"
                checked={settings.lengths.includes(L)}
                onChange={(e) =>
                  setSettings({
                    lengths: e.target.checked
                      ? [...settings.lengths, L].sort((a, b) => a - b)
                      : settings.lengths.filter((x) => x !== L),
                  })
                }
              />{' '}
              {L}
              {L === trainedLength ? ' (trained)' : ''}
            </label>
          ))}
        </fieldset>
        <NumberField
          label="Samples (trained)"
          value={settings.samples}
          min={1}
          step={1}
          onChange={(v) => v !== null && setSettings({ samples: v })}
        />
        <NumberField
          label="Samples (timing only)"
          value={settings.timingSamples}
          min={1}
          step={1}
          onChange={(v) => v !== null && setSettings({ timingSamples: v })}
        />
        <NumberField
          label="Threshold"
          value={settings.threshold}
          min={0}
          max={1}
          step={0.05}
          onChange={(v) => v !== null && setSettings({ threshold: v })}
        />
        <NumberField
          label="Temperature"
          value={settings.temperature}
          min={0}
          step={0.1}
          onChange={(v) => v !== null && setSettings({ temperature: v })}
        />
        <label className="field">
          <span>Fixed-S sampler</span>
          <select
            aria-label="Fixed-S sampler"
            value={settings.strategy}
            onChange={(e) => setSettings({ strategy: e.target.value as StrategyName })}
          >
            {FIXED_STRATEGIES.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        {running ? (
          <button type="button" onClick={stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            disabled={problem !== null || pair.status !== 'ready' || likelihoodRunning}
            title={
              likelihoodRunning
                ? 'The likelihood lab is using these models; wait for it.'
                : undefined
            }
            onClick={() => void start()}
          >
            Measure
          </button>
        )}
      </div>
      {problem && (
        <p role="alert" className="error-panel small">
          {problem}
        </p>
      )}
      <details className="lab-how">
        <summary>How this is measured</summary>
        <p className="small">
          An autoregressive model writes one token per model call; a diffusion model writes all L
          positions in S calls, however long L is. Each model writes windows from scratch (the twin,
          which has no start token, is given the first word — drawn from the corpus — and writes the
          other L − 1), sampling at the temperature below; the diffusion model at S = L, L/2, L/4,
          L/8 and with Fast-dLLM’s confidence threshold, which commits every position at least that
          sure and so chooses its own number of calls. The sampler runs inside the inference worker,
          beside the model; the wall-clock time of a window counts its model calls, the sampler’s
          own work and one message to the page per call.
        </p>
        <p className="small">
          <strong>Which weights:</strong> only the shipped models’ window
          {trainedLength !== null ? ` (L = ${trainedLength})` : ''} is trained, so quality — the
          share of samples the toy grammar accepts — is measured there only. Longer windows are
          timed on models of the same architecture at that window with <em>random</em> weights: a
          call costs the same whatever the weights hold, but their samples are noise, so they have
          no quality and no threshold point.
        </p>
      </details>
    </div>
  );
}

import { useAppStore } from '../../state/store';
import { BackendCheck } from './BackendCheck';
import { StepTable } from './StepTable';
import { sentenceText } from './tokenText';

/** The article's sampler on the loaded model: the sentence, and every step as text. */
export function GenerateView() {
  const manifest = useAppStore((s) => s.manifest);
  const settings = useAppStore((s) => s.settings);
  const setSettings = useAppStore((s) => s.setSettings);
  const generate = useAppStore((s) => s.generate);
  const records = useAppStore((s) => s.records);
  const trace = useAppStore((s) => s.trace);
  const generating = useAppStore((s) => s.generating);
  const error = useAppStore((s) => s.generationError);
  const callMs = useAppStore((s) => s.callMs);
  const ready = useAppStore(
    (s) => s.modelStatus === 'ready' || (s.manifest !== null && s.modelStatus !== 'opening'),
  );

  if (!manifest) return <section className="panel muted">Waiting for a model…</section>;
  const last = records[records.length - 1];
  const meanMs = callMs.length ? callMs.reduce((a, b) => a + b, 0) / callMs.length : null;

  return (
    <section className="panel" aria-label="Generate">
      <h2>Generate</h2>
      <p className="muted small">
        The article&apos;s sampler: start from a window of [MASK], and at each of S steps sample
        every position, keep the most confident ⌊masked / s⌋ guesses and send the rest back to
        [MASK].
      </p>
      <div className="row">
        <label>
          Steps{' '}
          <input
            aria-label="Steps"
            type="number"
            min={1}
            max={manifest.seqLen * 4}
            value={settings.steps}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isInteger(v) && v >= 1) setSettings({ steps: v });
            }}
          />
        </label>
        <label>
          Seed{' '}
          <input
            aria-label="Seed"
            type="number"
            min={0}
            value={settings.seed}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isInteger(v) && v >= 0) setSettings({ seed: v });
            }}
          />
        </label>
        <label>
          Temperature{' '}
          <input
            aria-label="Temperature"
            type="number"
            min={0}
            step={0.1}
            value={settings.temperature}
            onChange={(e) => {
              const v = Number(e.target.value);
              if (Number.isFinite(v) && v >= 0) setSettings({ temperature: v });
            }}
          />
        </label>
        <button type="button" onClick={() => void generate()} disabled={!ready || generating}>
          {generating ? 'Generating…' : 'Generate'}
        </button>
        <span className="muted small" aria-label="Model calls">
          {records.length} model calls{meanMs !== null ? ` · ${meanMs.toFixed(2)} ms per call` : ''}
        </span>
      </div>
      {error && (
        <div role="alert" className="error-panel">
          {error}
        </div>
      )}
      {last && (
        <p className="result" aria-label="Result" data-done={trace ? 'true' : 'false'}>
          {sentenceText(manifest, last.after) || '(empty)'}
        </p>
      )}
      {records.length > 0 && <StepTable manifest={manifest} records={records} callMs={callMs} />}
      <BackendCheck />
    </section>
  );
}

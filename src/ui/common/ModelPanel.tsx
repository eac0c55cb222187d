import { useRef } from 'react';
import { useAppStore } from '../../state/store';
import type { ProviderChoice } from '../../runtime/protocol';

const formatBytes = (n: number) =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(2)} MB`;

/** Which model runs, where it runs, and a way to bring your own. */
export function ModelPanel() {
  const s = useAppStore();
  const onnxInput = useRef<HTMLInputElement>(null);
  const manifestInput = useRef<HTMLInputElement>(null);

  const openFiles = (files: File[]) => {
    const onnx = files.find((f) => f.name.endsWith('.onnx'));
    const manifest = files.find((f) => f.name.endsWith('.json'));
    if (!onnx || !manifest) {
      useAppStore.setState({
        modelError: 'Choose both files of a package: the .onnx model and its manifest.json.',
      });
      return;
    }
    void s.openUserFiles(onnx, manifest);
  };

  const progress = s.progress;
  return (
    <section className="panel model-panel" aria-label="Model">
      <div className="row">
        <label>
          Model{' '}
          <select
            aria-label="Model"
            value={s.modelSource?.startsWith('models/') ? s.modelSource.split('/')[1] : ''}
            onChange={(e) => void s.openShipped(e.target.value)}
          >
            {!s.modelSource?.startsWith('models/') && (
              <option value="">{s.modelSource ?? '—'}</option>
            )}
            {s.packages.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <label>
          Execution provider{' '}
          <select
            aria-label="Execution provider"
            value={s.providerChoice}
            onChange={(e) => void s.setProviderChoice(e.target.value as ProviderChoice)}
          >
            <option value="auto">auto</option>
            <option value="webgpu">WebGPU</option>
            <option value="wasm">WASM</option>
          </select>
        </label>
        <output aria-label="Backend" className="backend" data-provider={s.backend?.provider ?? ''}>
          {s.backend
            ? `${s.backend.provider === 'webgpu' ? 'WebGPU' : 'WASM'}${s.backend.adapter && s.backend.provider === 'webgpu' ? ` on ${s.backend.adapter}` : ''}`
            : s.modelStatus === 'error'
              ? 'no model'
              : 'starting…'}
        </output>
        <span className="muted" aria-label="Model status">
          {s.modelStatus === 'downloading' && progress
            ? `downloading ${formatBytes(progress.loaded)}${progress.total ? ` of ${formatBytes(progress.total)}` : ''}${progress.fromCache ? ' (cache)' : ''}`
            : s.modelStatus === 'opening'
              ? 'opening…'
              : s.modelStatus === 'ready' && s.manifest
                ? `${s.manifest.title} · ${s.manifest.vocab.length} tokens · window ${s.manifest.seqLen}`
                : ''}
        </span>
      </div>
      {s.modelStatus === 'downloading' && progress?.total ? (
        <progress max={progress.total} value={progress.loaded} aria-label="Download progress" />
      ) : null}
      {s.backend && (
        <p className="muted small" aria-label="Backend details">
          {s.backend.choice}
          {s.backend.fallbackReason ? ` — fell back to WASM: ${s.backend.fallbackReason}` : ''} ·
          adapter: {s.backend.adapter ?? 'none'}
          {s.backend.softwareAdapter ? ' (software)' : ''} · session{' '}
          {s.backend.sessionMs.toFixed(0)} ms · warm call {s.backend.warmupMsPerCall.toFixed(2)} ms
        </p>
      )}
      <details>
        <summary>Open your own model (.onnx + manifest.json)</summary>
        <div
          className="dropzone"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            openFiles([...e.dataTransfer.files]);
          }}
        >
          <label>
            Model file <input ref={onnxInput} type="file" accept=".onnx" aria-label="ONNX file" />
          </label>
          <label>
            Manifest{' '}
            <input
              ref={manifestInput}
              type="file"
              accept=".json,application/json"
              aria-label="Manifest file"
            />
          </label>
          <button
            type="button"
            onClick={() =>
              openFiles([
                ...(onnxInput.current?.files ?? []),
                ...(manifestInput.current?.files ?? []),
              ])
            }
          >
            Open package
          </button>
          <span className="muted small">or drop both files here</span>
        </div>
      </details>
      {s.modelError && (
        <div role="alert" className="error-panel" aria-label="Model error">
          {s.modelError}
          {s.manifest ? <div className="small">Still running: {s.modelSource}</div> : null}
          <button type="button" onClick={() => useAppStore.setState({ modelError: null })}>
            Dismiss
          </button>
        </div>
      )}
    </section>
  );
}

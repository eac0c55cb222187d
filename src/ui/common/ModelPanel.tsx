import { useRef } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from '../../state/store';
import { describeGpuCalls } from '../../runtime/gpuCallModes';
import type { ProviderChoice } from '../../runtime/protocol';
import { BackendCheck } from './BackendCheck';
import { IgnoredLinkSettings } from './IgnoredLinkSettings';
import { isManifestName, isOnnxName, PACKAGE, readPackageDrop } from './packageDrop';

const formatBytes = (n: number) =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(2)} MB`;
const percent = (loaded: number, total: number) =>
  `${total > 0 ? Math.floor((100 * loaded) / total) : 100}%`;

/**
 * Which model runs and where, in one line above the view; the backend's details and a way to
 * bring your own model open below it on demand.
 */
export function ModelPanel() {
  // Only the model slice: other views' per-frame updates must not re-render this panel.
  const s = useAppStore(
    useShallow((st) => ({
      packages: st.packages,
      providerChoice: st.providerChoice,
      modelStatus: st.modelStatus,
      progress: st.progress,
      manifest: st.manifest,
      modelSource: st.modelSource,
      backend: st.backend,
      modelError: st.modelError,
      modelErrorDetail: st.modelErrorDetail,
      openShipped: st.openShipped,
      openUserFiles: st.openUserFiles,
      setProviderChoice: st.setProviderChoice,
      reportModelError: st.reportModelError,
      dismissModelError: st.dismissModelError,
      refreshCallModes: st.refreshCallModes,
    })),
  );
  const onnxInput = useRef<HTMLInputElement>(null);
  const manifestInput = useRef<HTMLInputElement>(null);

  const openPackage = (onnx: File | undefined, manifest: File | undefined, how: string) => {
    if (!onnx || !manifest) {
      s.reportModelError(`${PACKAGE} ${how}`, [
        ...(onnx ? [] : ['the .onnx model file is missing']),
        ...(manifest ? [] : ['the manifest (.json) file is missing']),
      ]);
      return;
    }
    void s.openUserFiles(onnx, manifest);
  };

  const openChosen = () => {
    let onnx = onnxInput.current?.files?.[0];
    let manifest = manifestInput.current?.files?.[0];
    // Each input says what its file is; only a plain swap of the two is put right.
    if (onnx && manifest && isManifestName(onnx) && isOnnxName(manifest)) {
      [onnx, manifest] = [manifest, onnx];
    }
    openPackage(onnx, manifest, 'Choose one in each of "ONNX file" and "Manifest file".');
  };

  const openDropped = (files: File[]) => {
    const reading = readPackageDrop(files);
    if (reading.problem) {
      s.reportModelError(reading.problem.summary, reading.problem.problems);
      return;
    }
    const names = files.map((f) => f.name).join(', ') || 'nothing';
    openPackage(reading.onnx, reading.manifest, `Drop both at once (dropped: ${names}).`);
  };

  const progress = s.progress;
  return (
    <section className="model-bar" aria-label="Model">
      <label className="field inline">
        <span>Model</span>
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
      <label className="field inline">
        <span>Runs on</span>
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
      <span className="model-status" aria-label="Model status">
        {s.modelStatus === 'downloading' && progress
          ? `downloading ${formatBytes(progress.loaded)}${progress.total ? ` of ${formatBytes(progress.total)}` : ''}${progress.fromCache ? ' (cache)' : ''}`
          : s.modelStatus === 'reading'
            ? `reading your model${progress?.total ? `: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)} (${percent(progress.loaded, progress.total)})` : '…'}`
            : s.modelStatus === 'opening'
              ? 'opening…'
              : s.modelStatus === 'ready' && s.manifest
                ? `${s.manifest.title} · ${s.manifest.vocab.length} tokens · window ${s.manifest.seqLen}`
                : ''}
      </span>
      {s.modelStatus === 'downloading' && progress?.total ? (
        <progress max={progress.total} value={progress.loaded} aria-label="Download progress" />
      ) : null}
      {s.modelStatus === 'reading' && progress?.total ? (
        <progress max={progress.total} value={progress.loaded} aria-label="Reading progress" />
      ) : null}
      <details
        className="model-more"
        onToggle={(e) => {
          // Opened: the call modes as they stand now (a batch's trial may have ended since load).
          if ((e.currentTarget as HTMLDetailsElement).open) void s.refreshCallModes();
        }}
      >
        <summary>Backend</summary>
        <div className="model-more-body">
          {s.backend ? (
            <>
              <p className="muted small" aria-label="Backend details">
                {s.backend.choice}
                {s.backend.fallbackReason
                  ? ` — fell back to WASM: ${s.backend.fallbackReason}`
                  : ''}{' '}
                · adapter: {s.backend.adapter ?? 'none'}
                {s.backend.softwareAdapter ? ' (software)' : ''} · onnxruntime-web{' '}
                {s.backend.ortBuild} build · session {s.backend.sessionMs.toFixed(0)} ms · warm call{' '}
                {s.backend.warmupMsPerCall.toFixed(2)} ms
              </p>
              {s.backend.gpuCalls ? (
                <p className="muted small" aria-label="WebGPU call modes">
                  {describeGpuCalls(s.backend.gpuCalls)}
                </p>
              ) : null}
            </>
          ) : (
            <p className="muted small">The model is not running yet.</p>
          )}
          <BackendCheck />
        </div>
      </details>
      <details className="model-more">
        <summary>Open your own model</summary>
        <div
          className="dropzone"
          role="group"
          aria-label="Your model package"
          onDragOver={(e) => e.preventDefault()}
          onDrop={(e) => {
            e.preventDefault();
            openDropped([...e.dataTransfer.files]);
          }}
        >
          <label className="field">
            <span>ONNX file</span>
            <input ref={onnxInput} type="file" accept=".onnx" aria-label="ONNX file" />
          </label>
          <label className="field">
            <span>Manifest file</span>
            <input
              ref={manifestInput}
              type="file"
              accept=".json,application/json"
              aria-label="Manifest file"
            />
          </label>
          <button
            type="button"
            onClick={openChosen}
            disabled={s.modelStatus === 'opening' || s.modelStatus === 'reading'}
          >
            Open package
          </button>
          <span className="muted small">
            An .onnx and its manifest.json: choose them, or drop both here. A package exported from
            PyTorch opens with a manifest alone: see docs/bring-your-own-model.md.
          </span>
        </div>
      </details>
      <IgnoredLinkSettings />
      {s.modelError && (
        <div role="alert" className="error-panel model-error" aria-label="Model error">
          <strong>{s.modelErrorDetail?.summary ?? s.modelError}</strong>
          {s.modelErrorDetail && s.modelErrorDetail.problems.length > 0 && (
            <ul aria-label="Problems">
              {s.modelErrorDetail.problems.map((problem, i) => (
                <li key={i}>{problem}</li>
              ))}
            </ul>
          )}
          <div className="small">
            {s.manifest
              ? `Nothing was changed: ${s.modelSource ?? 'the previous model'} is still running.`
              : 'No model is running.'}
            <button type="button" onClick={s.dismissModelError}>
              Dismiss
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

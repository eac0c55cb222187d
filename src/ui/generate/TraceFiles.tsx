import { useRef } from 'react';
import { serializeTrace } from '../../core/sampler';
import type { GenerationRun } from '../../state/generationRun';
import { useAppStore } from '../../state/store';
import { saveFile } from './saveFile';

function traceFileName(run: GenerationRun): string {
  const o = run.options;
  const block = o.blockLength !== null ? `-b${o.blockLength}` : '';
  return `unmask-trace-${o.strategy}-s${o.steps}${block}-seed${o.seed}.json`;
}

/** Saves a finished run's trace as JSON (the schema parseTrace reads back). */
export function ExportTraceButton({ run, label }: { run: GenerationRun; label: string }) {
  const trace = run.trace;
  return (
    <button
      type="button"
      aria-label={label}
      disabled={!trace}
      title={trace ? 'Save this run as a JSON trace' : 'Available when the run is done'}
      onClick={() => {
        if (!trace) return;
        const blob = new Blob([serializeTrace(trace, 1)], { type: 'application/json' });
        saveFile(blob, traceFileName(run));
      }}
    >
      Export trace
    </button>
  );
}

/** Opens a trace file and replays it without the model; a broken file says what is wrong. */
export function ImportTrace() {
  const input = useRef<HTMLInputElement>(null);
  const importTrace = useAppStore((s) => s.importTrace);
  return (
    <>
      <button type="button" onClick={() => input.current?.click()}>
        Import trace
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        aria-label="Trace file"
        hidden
        onChange={async (e) => {
          const file = e.target.files?.[0];
          e.target.value = '';
          if (file) importTrace(await file.text(), file.name);
        }}
      />
    </>
  );
}

/** What was wrong with the last file opened with Import trace. */
export function ImportProblem() {
  const problem = useAppStore((s) => s.importProblem);
  const dismiss = useAppStore((s) => s.dismissImportProblem);
  if (!problem) return null;
  return (
    <div role="alert" className="error-panel import-problem" aria-label="Import problem">
      <strong>Could not import {problem.fileName}:</strong>
      <ul>
        {problem.errors.map((e, i) => (
          <li key={i}>{e}</li>
        ))}
      </ul>
      <button type="button" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}

/** The caveat about the trace on screen, when it does not say whose vocabulary it uses. */
export function ImportWarning() {
  const warning = useAppStore((s) => s.importWarning);
  if (!warning) return null;
  return (
    <p role="note" className="muted small" aria-label="Import warning">
      {warning}
    </p>
  );
}

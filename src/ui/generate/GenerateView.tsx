import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelManifest } from '../../model/manifest';
import type { RunPlan } from '../../state/runPlan';
import { startingRun } from '../../state/generationRun';
import { vocabularyOf } from '../../state/modelVocabulary';
import { useAppStore } from '../../state/store';
import { BackendCheck } from './BackendCheck';
import { ConfigProblems } from './ConfigProblems';
import { GenerationControls } from './GenerationControls';
import { Legend } from './Legend';
import { PlanNotes } from './PlanNotes';
import { Presets } from './Presets';
import { PromptEditor } from './PromptEditor';
import { RunPanel } from './RunPanel';
import { ImportProblem, ImportTrace, ImportWarning } from './TraceFiles';
import { Transport } from './Transport';
import { usePlan } from './usePlan';
import { useStrategyForModelKind } from './useStrategyForModelKind';
import { useTransportKeys } from './useTransportKeys';
import { WholeWindowNote } from './WholeWindowNote';

/**
 * The runs at the shared frame; the only part of the view that changes with every record. Before
 * the first Generate it previews the configured runs at frame 0 (the starting window with its
 * pinned words), so Generate updates the panels instead of building them.
 */
function Runs({ manifest, plan }: { manifest: ModelManifest; plan: RunPlan | null }) {
  const runs = useAppStore((s) => s.runs);
  const preview = useMemo(
    () =>
      plan && runs.length === 0
        ? plan.runs.map((p) => startingRun(p, manifest.special.mask, manifest.vocab.length))
        : null,
    [plan, runs.length, manifest],
  );
  const shown = preview ?? runs;
  return (
    <div className={`runs${shown.length > 1 ? ' two' : ''}`}>
      {shown.map((run) => (
        <RunPanel key={run.key} run={run} manifest={manifest} preview={preview !== null} />
      ))}
    </div>
  );
}

/** Says when the runs on screen were not made with the current controls. */
function StaleNote({ plan }: { plan: RunPlan | null }) {
  const options = useAppStore(
    useShallow((s) => s.runs.map((r) => (r.source === 'import' ? null : r.options))),
  );
  const stale = useMemo(() => {
    if (!plan || options.length === 0 || options.includes(null)) return false;
    if (plan.runs.length !== options.length) return true;
    return plan.runs.some((p, i) => JSON.stringify(p.options) !== JSON.stringify(options[i]));
  }, [plan, options]);
  if (!stale) return null;
  return (
    <span className="muted small" role="status">
      The controls changed since this run: press Generate to run them.
    </span>
  );
}

/**
 * The generation studio: choose a sampler and its knobs, a prompt and pinned words, then watch
 * the model write one call at a time with a shared transport — one run, or two side by side from
 * the same seed. A link (the URL hash) sets up the same configuration; Generate or Play runs it.
 */
export function GenerateView() {
  const manifest = useAppStore((s) => s.manifest);
  const generate = useAppStore((s) => s.generate);
  const error = useAppStore((s) => s.generationError);
  const ready = useAppStore(
    (s) => s.modelStatus === 'ready' || (s.manifest !== null && s.modelStatus !== 'opening'),
  );
  const plan = usePlan();
  useTransportKeys();
  useStrategyForModelKind();

  if (!manifest) return <section className="panel muted">Waiting for a model…</section>;
  const vocab = vocabularyOf(manifest);

  return (
    <section className="panel generate" aria-label="Generate">
      <h2>Generate</h2>
      <p className="muted small">
        Start from a window of [MASK]; every model call guesses all masked positions at once and the
        sampler decides which guesses to keep. Pick a strategy, press Generate, then play, pause,
        step or scrub through the calls (keys: Space, ←, →, Home, End).
      </p>
      <Presets />
      <GenerationControls plan={plan} />
      {plan && <PromptEditor plan={plan} manifest={manifest} />}
      <WholeWindowNote manifest={manifest} />
      {!vocab && (
        <p role="status" className="error-panel">
          This model&apos;s vocabulary cannot be read as words (a token repeats or special ids
          clash), so a prompt cannot be typed.
        </p>
      )}
      {plan && <ConfigProblems plan={plan} />}
      {plan && <PlanNotes plan={plan} />}
      <div className="row">
        <button
          type="button"
          className="primary"
          onClick={() => void generate()}
          disabled={!ready || !plan || plan.problems.length > 0}
        >
          Generate
        </button>
        <ImportTrace />
        <StaleNote plan={plan} />
      </div>
      <ImportProblem />
      <ImportWarning />
      {error && (
        <div role="alert" className="error-panel">
          {error}
        </div>
      )}
      <Transport />
      <Legend />
      <Runs manifest={manifest} plan={plan} />
      <BackendCheck />
    </section>
  );
}

import { useMemo, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { ModelManifest } from '../../model/manifest';
import { DEFAULT_CONFIG, type GenerationConfig } from '../../state/generationConfig';
import { recordAt, startingRun } from '../../state/generationRun';
import type { RunPlan } from '../../state/runPlan';
import { useAppStore } from '../../state/store';
import { actionText, callName, callOptions } from './callAction';
import { ConfigProblems } from './ConfigProblems';
import { DriveMode } from './DriveMode';
import { CompareControls, RunSettingsFields, SamplerKnobs } from './GenerationControls';
import { Legend } from './Legend';
import { PlanNotes } from './PlanNotes';
import { PinRow, PromptField, VocabularyList } from './PromptEditor';
import { RunInsights } from './RunInsights';
import { RunPanel } from './RunPanel';
import { RunTreePanel } from './RunTreePanel';
import { Stories } from './Stories';
import { storyOf } from './stories';
import { STRATEGY_INFO } from './strategyInfo';
import { ImportProblem, ImportTrace, ImportWarning } from './TraceFiles';
import { Transport } from './Transport';
import { usePlan } from './usePlan';
import { useStrategyForModelKind } from './useStrategyForModelKind';
import { useTransportKeys } from './useTransportKeys';
import { WholeWindowNote } from './WholeWindowNote';
import './generate.css';

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
    useShallow((s) =>
      s.runs.map((r) =>
        r.source === 'import' || r.source === 'branch' || r.source === 'human' ? null : r.options,
      ),
    ),
  );
  const stale = useMemo(() => {
    if (!plan || options.length === 0 || options.includes(null)) return false;
    if (plan.runs.length !== options.length) return true;
    return plan.runs.some((p, i) => JSON.stringify(p.options) !== JSON.stringify(options[i]));
  }, [plan, options]);
  if (!stale) return null;
  return (
    <p className="muted small" role="status">
      The settings changed since this run: press Generate to run them.
    </p>
  );
}

/** The story on screen and what to watch in it, or the strategy in use for other settings. */
function StageHeading() {
  const config = useAppStore((s) => s.config);
  const story = storyOf(config);
  return (
    <div className="stage-heading">
      <h2>{story ? story.title : 'Your settings'}</h2>
      <p className="watch">
        {story
          ? story.watch
          : `${STRATEGY_INFO[config.a.strategy].title}: ${STRATEGY_INFO[config.a.strategy].summary}`}
      </p>
    </div>
  );
}

/** What the call on screen did, in words (run A's; run B's is in its history). */
function CallCaption() {
  const run = useAppStore((s) => s.runs[0]);
  const frame = useAppStore((s) => s.frame);
  const record = run ? recordAt(run, frame) : null;
  return (
    <p className="call-caption small" aria-label="What this call did">
      {run && record
        ? `${callName(record, callOptions(run, record))} of ${run.records.length}${run.status === 'running' ? '+' : ''}: ${actionText(record, callOptions(run, record), run.maskId)}`
        : 'Every position starts as [MASK]; each model call guesses them all, and the sampler keeps some guesses.'}
    </p>
  );
}

/** Whether any setting kept in the drawer differs from the default (then it opens by itself). */
function drawerSettingsChanged(c: GenerationConfig): boolean {
  const d = DEFAULT_CONFIG;
  return (
    c.length !== d.length ||
    c.temperature !== d.temperature ||
    c.topK !== d.topK ||
    c.topP !== d.topP ||
    c.threshold !== d.threshold ||
    c.remaskSchedule !== d.remaskSchedule ||
    c.remaskEta !== d.remaskEta ||
    c.eosLast !== d.eosLast ||
    c.seed !== d.seed ||
    c.pins.length > 0 ||
    c.sideBySide
  );
}

/** Stories, the strategy and its steps, the prompt; everything else in a drawer, grouped. */
function Settings({ plan, manifest }: { plan: RunPlan | null; manifest: ModelManifest | null }) {
  const [open, setOpen] = useState(() => drawerSettingsChanged(useAppStore.getState().config));
  return (
    <aside className="knobs" aria-label="Settings">
      <section aria-label="Stories to watch">
        <h3 className="knobs-title">Stories</h3>
        <Stories />
      </section>
      <section className="knobs-main" aria-label="Sampler">
        <h3 className="knobs-title">Sampler</h3>
        <RunSettingsFields runKey="a" plan={plan} />
        <PromptField plan={plan} />
      </section>
      <details className="drawer" open={open} onToggle={(e) => setOpen(e.currentTarget.open)}>
        <summary>More settings</summary>
        <SamplerKnobs plan={plan} />
        {plan && manifest && <PinRow plan={plan} manifest={manifest} />}
        <CompareControls plan={plan} />
        <fieldset className="knob-group">
          <legend>Trace files</legend>
          <div className="row">
            <ImportTrace />
            <span className="muted small">Export is in each run&apos;s header.</span>
          </div>
        </fieldset>
      </details>
      {manifest && <VocabularyList manifest={manifest} />}
    </aside>
  );
}

/**
 * The generation studio. The picture comes first: the story's title and what to watch, Generate
 * with the transport, then the runs (token strip and history grid); the settings sit beside it
 * (below on a narrow screen), stories first, the strategy at hand, the rest in a drawer. A link
 * (the URL hash) sets up the same configuration; Generate or Play runs it. Before the model has
 * loaded, the package's recorded default run plays (src/state/arrivalRun.ts).
 */
export function GenerateView() {
  const loaded = useAppStore((s) => s.manifest);
  const recorded = useAppStore((s) => s.recordedManifest);
  const generate = useAppStore((s) => s.generate);
  const error = useAppStore((s) => s.generationError);
  const comparing = useAppStore((s) => s.config.sideBySide);
  const ready = useAppStore(
    (s) => s.modelStatus === 'ready' || (s.manifest !== null && s.modelStatus !== 'opening'),
  );
  const plan = usePlan();
  useTransportKeys();
  useStrategyForModelKind();
  const manifest = loaded ?? recorded;

  return (
    <section
      className="view generate"
      aria-label="Generate"
      data-comparing={comparing ? 'true' : 'false'}
    >
      <div className="stage">
        <StageHeading />
        <div className="stage-bar">
          <button
            type="button"
            className="primary generate-button"
            onClick={() => void generate()}
            disabled={!ready || !plan || plan.problems.length > 0}
            title={ready ? 'Run these settings on the model' : 'The model is still loading'}
          >
            Generate
          </button>
          <Transport />
        </div>
        <CallCaption />
        {/* Shown (disabled) with the recorded run's manifest too: the run on screen does not move
            down when the model arrives. */}
        {manifest && <DriveMode manifest={loaded ?? manifest} />}
        {plan && <ConfigProblems problems={plan.problems} />}
        {plan && <PlanNotes plan={plan} />}
        {loaded && <WholeWindowNote manifest={loaded} />}
        {loaded && !plan && (
          <p role="status" className="error-panel">
            This model&apos;s vocabulary cannot be read as words (a token repeats or special ids
            clash), so a prompt cannot be typed.
          </p>
        )}
        <StaleNote plan={plan} />
        <ImportProblem />
        <ImportWarning />
        {error && (
          <div role="alert" className="error-panel">
            {error}
          </div>
        )}
        {manifest ? (
          <Runs manifest={manifest} plan={plan} />
        ) : (
          <p className="muted stage-waiting" role="status">
            Loading the model…
          </p>
        )}
        {loaded && <RunTreePanel manifest={loaded} />}
        <Legend />
        {manifest && <RunInsights manifest={manifest} />}
      </div>
      <Settings plan={plan} manifest={loaded} />
    </section>
  );
}

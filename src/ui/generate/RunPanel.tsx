import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import type { ModelManifest } from '../../model/manifest';
import { isFinished, recordAt, tokensAt, type GenerationRun } from '../../state/generationRun';
import { useAppStore } from '../../state/store';
import { BranchButton } from './BranchButton';
import { CallCounter } from './CallCounter';
import { CandidatesPanel } from './CandidatesPanel';
import { cellsAt } from './cells';
import { HistoryGrid } from './HistoryGrid';
import { STRATEGY_INFO } from './strategyInfo';
import { PrefixNote } from './PrefixNote';
import { TokenStrip } from './TokenStrip';
import { sentenceText } from './tokenText';
import { ExportTraceButton } from './TraceFiles';

function stepsText(o: GenerationRun['options']): string {
  switch (o.strategy) {
    case 'autoregressive':
      return 'one call per token';
    case 'human':
      return 'a person chose every commit';
    case 'llada2.threshold':
      return `${o.steps} steps per block, threshold ${o.threshold}`;
    case 'llada21.edit':
      return `threshold ${o.threshold}, edit threshold ${o.editThreshold}, ≤ ${o.maxPostSteps} post steps`;
    case 'eb.entropy_bound':
      return `≤ ${o.steps} steps, γ = ${o.entropyBound} bits`;
    case 'dus.dilated':
      return `one call per dilated level${o.dusRemasking === 'none' ? '' : `, remasking below ${o.dusThreshold}`}`;
    default:
      return `${o.steps} steps`;
  }
}

function describeRun(run: GenerationRun): string {
  const o = run.options;
  const parts = [
    STRATEGY_INFO[o.strategy].title,
    stepsText(o),
    o.blockLength !== null ? `blocks of ${o.blockLength}` : null,
    o.confidenceEosEotInf ? '[EOS] last' : null,
    `temperature ${o.temperature}`,
    `seed ${o.seed}`,
  ];
  return parts.filter(Boolean).join(' · ');
}

/**
 * One run at the shared frame: the sentence so far, the token strip with confidence bars, the
 * history grid (every call, every position) and the candidates at a chosen position. Run A
 * keeps the plain accessible names ("Result", "Model calls"); run B's say "of run B".
 */
export function RunPanel({
  run,
  manifest,
  preview = false,
}: {
  run: GenerationRun;
  manifest: ModelManifest;
  /** Not computed yet: the configured run at its start, before Generate or Play. */
  preview?: boolean;
}) {
  const frame = useAppStore((s) => s.frame);
  const seek = useAppStore((s) => s.seek);
  const [pointedInGrid, setPointedInGrid] = useState<number | null>(null);
  const [selected, setSelected] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const record = recordAt(run, frame);
  // Records only get appended, so the frame's cells change only with the record that made the
  // frame (or the start): new records for later frames must not redraw the strip.
  const initial = run.initial;
  const cells = useMemo(
    () => cellsAt(run, frame),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [record, initial, frame],
  );
  const name = run.key.toUpperCase();
  const of = run.key === 'a' ? '' : ` of run ${name}`;
  const done = isFinished(run) && frame >= run.records.length;
  const focus = hovered ?? pointedInGrid ?? selected;
  // The history grid mounts one background render after the strip: a run that appears beside
  // another (a branch, a comparison) would otherwise build both in one main-thread task.
  const detailsMounted = useDeferredValue(true, false);
  const toggleSelected = useCallback((p: number) => setSelected((s) => (s === p ? null : p)), []);
  const fits = run.vocabSize === manifest.vocab.length && run.initial.length === manifest.seqLen;

  return (
    <section
      className="run"
      aria-label={`Run ${name}`}
      data-run={run.key}
      data-strategy={run.options.strategy}
      data-source={preview ? 'preview' : run.source}
    >
      <header className="run-header">
        <h3>Run {name}</h3>
        <span className="muted small">
          {run.source === 'import' ? `${run.fileName} · ` : ''}
          {describeRun(run)}
        </span>
        {preview ? (
          <span className="muted small">not generated yet: press Generate or Play</span>
        ) : run.source === 'recorded' ? (
          <span className="muted small" aria-label="Recorded run">
            recorded with this model · Generate computes it live
          </span>
        ) : (
          <>
            <CallCounter run={run} label={`Model calls${of}`} />
            <ExportTraceButton run={run} label={`Export trace${of}`} />
          </>
        )}
        {!preview && <BranchButton run={run} fits={fits} />}
      </header>
      {run.error && (
        <div role="alert" className="error-panel">
          Run {name} stopped: {run.error}
        </div>
      )}
      {!fits ? (
        <p className="muted">This run was made with another model; generate again to see it.</p>
      ) : (
        <>
          <p
            className="result"
            aria-label={run.key === 'a' ? 'Result' : `Sentence${of}`}
            data-done={done ? 'true' : 'false'}
          >
            {sentenceText(manifest, tokensAt(run, frame)) || '(empty)'}
          </p>
          <TokenStrip
            cells={cells}
            manifest={manifest}
            strategy={run.options.strategy}
            frame={frame}
            label={`Tokens${of}`}
            selected={selected}
            highlighted={pointedInGrid}
            onHover={setHovered}
            onSelect={toggleSelected}
          />
          <PrefixNote record={record} length={run.initial.length} />
          <div className="run-details" aria-busy={!detailsMounted}>
            {detailsMounted && (
              <HistoryGrid
                run={run}
                names={manifest}
                frame={frame}
                label={`History${of}`}
                onHoverPosition={setPointedInGrid}
                onSeek={seek}
              />
            )}
            <CandidatesPanel
              cell={focus === null ? null : cells[focus]}
              record={record}
              manifest={manifest}
              strategy={run.options.strategy}
              locked={selected !== null && focus === selected}
              label={`Candidates${of}`}
            />
          </div>
        </>
      )}
    </section>
  );
}

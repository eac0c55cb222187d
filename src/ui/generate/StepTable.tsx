import { memo, useDeferredValue, useEffect, useRef } from 'react';
import type { ResolvedSamplerOptions, TraceRecord } from '../../core/sampler';
import type { ModelManifest } from '../../model/manifest';
import type { GenerationRun } from '../../state/generationRun';
import { useAppStore } from '../../state/store';
import { tokenLabel } from './tokenText';

/** Positions up to the [EOS] tail (the tail is pinned and never changes, so it is left out). */
function visibleLength(run: GenerationRun, eosId: number | undefined): number {
  let n = run.initial.length;
  while (n > 0 && run.pinned[n - 1] && run.initial[n - 1] === eosId) n--;
  return n;
}

function stepLabel(r: TraceRecord, o: ResolvedSamplerOptions): string {
  if (o.strategy === 'article') return `s=${o.steps - r.call}`;
  if (o.strategy === 'dus.dilated')
    return `${r.call + 1} (block ${r.block + 1}, level ${r.stepInBlock + 1})`;
  const blocks = o.blockLength !== null ? ` (block ${r.block + 1})` : '';
  return `${r.call + 1}${blocks}`;
}

/** What the call did, in the article's words where it is the article's sampler. */
function actionText(r: TraceRecord, o: ResolvedSamplerOptions, maskId: number): string {
  const sentBack = r.status.filter((s, i) => s === 'remasked' && r.before[i] !== maskId).length;
  const discarded = r.status.filter((s, i) => s === 'remasked' && r.before[i] === maskId).length;
  const left = r.after.filter((t, i) => t === maskId && r.status[i] !== 'pinned').length;
  const done = left === 0 ? ' · done' : '';
  switch (o.strategy) {
    case 'article':
      return discarded > 0
        ? `Keep top-${r.committed} (highest confidence), remask the other ${discarded}`
        : `Unmask the last ${r.committed}${done}`;
    case 'remdm':
      return `Send ${sentBack} back to [MASK], commit ${r.committed}${done}`;
    case 'fastdllm.threshold':
      return `Commit ${r.committed} (confidence ≥ ${o.threshold}, or the best)${done}`;
    case 'llada.random':
      return `Commit ${r.committed} chosen at random${done}`;
    case 'llada2.threshold':
      return `Commit ${r.committed} (probability > ${o.threshold}, or the step's floor) · saw 1–${r.inputLength}${done}`;
    case 'llada21.edit':
      return `Commit ${r.committed}, edit ${r.edited}${r.candidate.some(Boolean) ? '' : ' (post step)'} · saw 1–${r.inputLength}${done}`;
    case 'eb.entropy_bound':
      return `Commit the ${r.committed} most certain (entropies before each ≤ ${o.entropyBound} bits)${done}`;
    case 'dus.dilated':
      return `Place ${r.committed}${discarded > 0 ? `, take back ${discarded} (probability < ${o.dusThreshold})` : ''}${done}`;
    case 'autoregressive':
      return r.committed > 1
        ? `Write [EOS], then fill the ${r.committed - 1} positions after it with [EOS]${done}`
        : `Write the next token${done}`;
    default:
      return `Commit the ${r.committed} most confident${done}`;
  }
}

/** Props are the record and values that stay the same for the whole run, so a row renders once. */
const Row = memo(function Row({
  r,
  options,
  pinned,
  maskId,
  manifest,
  visible,
  ms,
}: {
  r: TraceRecord;
  options: ResolvedSamplerOptions;
  pinned: boolean[];
  maskId: number;
  manifest: ModelManifest;
  visible: number;
  ms: number | undefined;
}) {
  const positions = Array.from({ length: visible }, (_, i) => i);
  return (
    <tr data-testid="step-row" data-committed={r.committed}>
      <td>{stepLabel(r, options)}</td>
      <td>
        {positions.map((p) => (
          <span
            key={p}
            className={`tok ${r.status[p]}${r.after[p] === manifest.special.mask ? ' masked' : ''}`}
          >
            {tokenLabel(manifest, r.after[p])}
          </span>
        ))}
      </td>
      <td className="confidences">
        {positions
          .filter((p) => !pinned[p])
          .map((p) => (
            <span key={p} className={r.status[p] === 'committed' ? 'picked' : ''}>
              {r.candidate[p]
                ? Number.isFinite(r.confidence[p])
                  ? r.confidence[p].toFixed(2)
                  : '−∞'
                : '·'}
            </span>
          ))}
      </td>
      <td>{actionText(r, options, maskId)}</td>
      <td>{ms !== undefined && Number.isFinite(ms) ? ms.toFixed(1) : ''}</td>
    </tr>
  );
});

/**
 * Marks the row of the shown frame and dims the rows computed but not played yet, as attributes
 * on the rendered rows.
 */
function highlightFrame(rows: HTMLCollectionOf<HTMLTableRowElement>, frame: number): void {
  // A finished run shorter than the other one stays on its last row.
  const shown = Math.min(frame, rows.length - 1);
  for (let i = 0; i < rows.length; i++) {
    const when = i === shown ? 'current' : i < shown ? 'shown' : 'ahead';
    if (rows[i].dataset.when !== when) rows[i].dataset.when = when;
    if (when === 'current') rows[i].setAttribute('aria-current', 'step');
    else rows[i].removeAttribute('aria-current');
  }
}

/**
 * Every model call of a run as a row, like the article's worked example: step, sequence after
 * the call, the confidences of the positions that could be committed (bold: committed), and
 * what was done. The shown frame's row is highlighted; rows computed ahead of it are dimmed.
 */
export const StepTable = memo(function StepTable({
  run: latest,
  manifest,
  label,
}: {
  run: GenerationRun;
  manifest: ModelManifest;
  label: string;
}) {
  // A fast model delivers a whole run's records in one store update: mounting all their rows in
  // one synchronous render was a 40-50 ms main-thread task in development builds. Deferred, the
  // rows render in a background pass that React splits into slices between frames.
  const run = useDeferredValue(latest);
  const body = useRef<HTMLTableSectionElement>(null);
  const rowCount = run.records.length;
  // The frame changes many times a second and the rows do not: a store subscription moves the
  // highlight, so React does not re-render the table for every frame.
  useEffect(() => {
    const apply = (frame: number) => {
      if (body.current) highlightFrame(body.current.rows, frame);
    };
    apply(useAppStore.getState().frame);
    return useAppStore.subscribe((s, prev) => {
      if (s.frame !== prev.frame) apply(s.frame);
    });
  }, [rowCount]);
  const visible = visibleLength(run, manifest.special.eos);
  const masked = run.pinned.filter((p) => !p).length;
  return (
    <table className="steps step-table" aria-label={label}>
      <thead>
        <tr>
          <th>Step</th>
          <th>Sequence</th>
          <th>Confidence</th>
          <th>Action</th>
          <th>ms</th>
        </tr>
      </thead>
      <tbody ref={body}>
        <tr>
          <td>Start</td>
          <td>
            {run.initial.slice(0, visible).map((t, p) => (
              <span key={p} className={`tok ${run.pinned[p] ? 'pinned' : 'masked'}`}>
                {tokenLabel(manifest, t)}
              </span>
            ))}
          </td>
          <td>—</td>
          <td>{masked} masked</td>
          <td />
        </tr>
        {run.records.map((r, i) => (
          <Row
            key={r.call}
            r={r}
            options={run.options}
            pinned={run.pinned}
            maskId={run.maskId}
            manifest={manifest}
            visible={visible}
            ms={run.callMs[i]}
          />
        ))}
      </tbody>
    </table>
  );
});

import { memo } from 'react';
import type { StrategyName, TraceRecord } from '../../core/sampler';
import type { CellView } from './cells';
import { CONFIDENCE_RULE_TEXT, confidenceRuleOf } from './strategyInfo';
import { CELL_STATE_TEXT, UNSEEN_TEXT } from './TokenStrip';
import { tokenLabel, type TokenNames } from './tokenText';

interface Props {
  cell: CellView | null;
  record: TraceRecord | null;
  manifest: TokenNames;
  strategy: StrategyName;
  locked: boolean;
  label: string;
}

/** The model's top candidates at one position for the call that made the shown frame. */
export const CandidatesPanel = memo(function CandidatesPanel({
  cell,
  record,
  manifest,
  strategy,
  locked,
  label,
}: Props) {
  if (!cell) {
    return (
      <div className="candidates muted small" role="region" aria-label={label}>
        Hover over a position or click it to see the model&apos;s top candidates there.
      </div>
    );
  }
  const word = (id: number) => tokenLabel(manifest, id);
  const confidence = cell.confidence;
  return (
    <div className="candidates" role="region" aria-label={label} data-position={cell.position}>
      <div className="small">
        <strong>Position {cell.position + 1}</strong> · {CELL_STATE_TEXT[cell.state]}
        {record ? ` · model call ${record.call + 1}` : ''}
        {locked ? ' · (click again to release)' : ''}
      </div>
      {cell.state === 'pinned' ? (
        <p className="small muted">Pinned: the sampler never changes it.</p>
      ) : !record ? (
        <p className="small muted">
          No model call yet: step forward to see what the model proposes.
        </p>
      ) : !cell.seen ? (
        <p className="small muted">
          This position was {UNSEEN_TEXT}: the model made no prediction here.
        </p>
      ) : (
        <>
          {cell.state === 'edited' && cell.struck !== null && (
            <p className="small">
              <span className="edit-mark">Edited</span>: was <s>{word(cell.struck)}</s>, now{' '}
              <strong>{word(cell.token)}</strong>
            </p>
          )}
          <p className="small">
            Prediction <strong>{cell.guess === null ? '—' : word(cell.guess)}</strong>, confidence{' '}
            {confidence === null ? '—' : Number.isFinite(confidence) ? confidence.toFixed(3) : '−∞'}{' '}
            <span className="muted">({CONFIDENCE_RULE_TEXT[confidenceRuleOf(strategy)]})</span>
          </p>
          <ol className="cand-list" aria-label="Top candidates">
            {cell.candidates.map((c) => (
              <li key={c.token}>
                <span className="cand-word">{word(c.token)}</span>
                <span className="cand-bar">
                  <span style={{ width: `${(c.prob * 100).toFixed(1)}%` }} />
                </span>
                <span className="cand-prob">{(c.prob * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ol>
          <p className="small muted">
            Probabilities of the model&apos;s own softmax, before temperature and top-k/top-p.
          </p>
        </>
      )}
    </div>
  );
});

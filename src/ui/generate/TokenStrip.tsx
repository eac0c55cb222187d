import { memo, useRef, type CSSProperties } from 'react';
import { useElementWidth } from '../common/useElementWidth';
import type { StrategyName } from '../../core/sampler';
import type { CellState, CellView } from './cells';
import { confidenceColour, confidenceUnit, textOn } from './confidenceScale';
import { tokenLabel, type TokenNames } from './tokenText';
import './newerSamplers.css';

/** Said of a position the model was not given in a block-causal (prefix) call. */
export const UNSEEN_TEXT = 'not given to the model in this call (after its block-causal prefix)';

export const CELL_STATE_TEXT: Record<CellState, string> = {
  masked: 'masked (the model’s current guess shown faintly)',
  discarded: 'guessed and sent back to [MASK] this step',
  new: 'committed this step, coloured by confidence',
  kept: 'committed earlier',
  edited: 'committed earlier, rewritten this step (the old token struck through)',
  'sent-back': 'committed earlier, sent back to [MASK] this step',
  pinned: 'pinned (prompt, a pinned word or the [EOS] tail)',
};

interface Props {
  cells: CellView[];
  manifest: TokenNames;
  strategy: StrategyName;
  /** Frame number: restarts the fade of struck-through tokens on every frame. */
  frame: number;
  label: string;
  selected: number | null;
  /** A position pointed at elsewhere (the history grid), outlined like the selected one. */
  highlighted?: number | null;
  /** Both must be stable (useState setters, useCallback) so unchanged cells skip rendering. */
  onHover: (position: number | null) => void;
  onSelect: (position: number) => void;
}

const formatConfidence = (c: number | null) =>
  c === null ? '—' : Number.isFinite(c) ? c.toFixed(3) : '−∞';

interface CellProps {
  position: number;
  state: CellState;
  token: number;
  guess: number | null;
  struck: number | null;
  seen: boolean;
  /** A kept token's bar is the confidence it was committed with; the others show this call's. */
  confidence: number | null;
  /** The frame while a token is struck (its fade restarts each frame), else −1. */
  fadeKey: number;
  selected: boolean;
  highlighted: boolean;
  manifest: TokenNames;
  strategy: StrategyName;
  onHover: (position: number | null) => void;
  onSelect: (position: number) => void;
}

/** One position. Memoized on plain values: between frames most cells do not change at all. */
const Cell = memo(function Cell(c: CellProps) {
  const word = (id: number | null) => (id === null ? '' : tokenLabel(c.manifest, id));
  // −∞ (a guess of [EOS] ranked last by rule) has no place on the scale: no colour, no bar.
  const unit =
    c.confidence === null || !Number.isFinite(c.confidence)
      ? null
      : confidenceUnit(c.strategy, c.confidence, c.manifest.vocab.length);
  const colour = unit === null ? null : confidenceColour(unit);
  let style: CSSProperties | undefined;
  if ((c.state === 'new' || c.state === 'edited') && colour)
    style = { backgroundColor: colour, color: textOn(colour) };
  else if (c.state === 'kept' && colour)
    style = { backgroundColor: `color-mix(in srgb, ${colour} 28%, var(--kept-mix))` };
  const masked = c.state === 'masked' || c.state === 'discarded' || c.state === 'sent-back';
  // The bar under the cell is the slot's ::after (fewer elements to render per frame).
  const bar = { '--bar': unit ?? 0, '--bar-c': colour ?? 'transparent' } as CSSProperties;
  const guessBar = c.state !== 'new' && c.state !== 'kept' && c.state !== 'edited';
  const edited = c.state === 'edited' && c.struck !== null;
  const unseen = c.seen ? '' : `, ${UNSEEN_TEXT}`;
  return (
    <li className={`strip-slot${guessBar ? ' guess-bar' : ''}`} style={bar}>
      <button
        type="button"
        className={`cell cell-${c.state}${c.seen ? '' : ' cell-unseen'}`}
        data-testid="token-cell"
        data-position={c.position}
        data-token={c.token}
        data-status={c.state}
        data-seen={c.seen ? 'true' : 'false'}
        data-was={edited ? word(c.struck) : undefined}
        data-n={c.position + 1}
        aria-pressed={c.selected}
        data-highlighted={c.highlighted || undefined}
        aria-label={`position ${c.position + 1}: ${masked ? '[MASK]' : word(c.token)}, ${CELL_STATE_TEXT[c.state]}${edited ? `, was ${word(c.struck)}` : ''}${c.guess !== null && masked ? `, guess ${word(c.guess)}` : ''}, confidence ${formatConfidence(c.confidence)}${unseen}`}
        title={`position ${c.position + 1} · ${CELL_STATE_TEXT[c.state]}${edited ? ` · was ${word(c.struck)}, now ${word(c.token)}` : ''}${unseen ? ` · ${UNSEEN_TEXT}` : ''}`}
        style={style}
        onMouseEnter={() => c.onHover(c.position)}
        onFocus={() => c.onHover(c.position)}
        onBlur={() => c.onHover(null)}
        onClick={() => c.onSelect(c.position)}
      >
        {edited ? (
          <>
            {/* What it was, struck, above what it became. Keyed by frame: the fade restarts. */}
            <span key={c.fadeKey} className="cell-was">
              {word(c.struck)}
            </span>
            {word(c.token)}
          </>
        ) : c.struck !== null ? (
          // Keyed by frame so the fade restarts whenever a token is struck again.
          <span key={c.fadeKey} className="cell-struck">
            {word(c.struck)}
          </span>
        ) : masked ? (
          word(c.guess)
        ) : (
          word(c.token)
        )}
      </button>
    </li>
  );
});

/** Narrowest a cell may be before the strip wraps (a word of 5–6 letters stays readable). */
const MIN_CELL_PX = 52;

/**
 * Columns for n cells in a row of the given width: all n when they fit, else the fewest rows
 * that fit, with the cells spread evenly over them (16 → 8 + 8, not 11 + 5).
 */
export function balancedColumns(n: number, width: number, minCell = MIN_CELL_PX): number {
  if (n === 0 || width <= 0) return Math.max(1, n);
  const perRow = Math.max(1, Math.floor(width / minCell));
  const rows = Math.ceil(n / perRow);
  return Math.ceil(n / rows);
}

/**
 * The window at one frame, a cell per position, with a confidence bar under each. Cells change
 * state with a short CSS transition (none under prefers-reduced-motion); hovering or focusing a
 * cell shows its candidates, clicking keeps them shown. On a narrow screen the strip wraps into
 * even rows instead of squeezing the words.
 */
export const TokenStrip = memo(function TokenStrip(p: Props) {
  const list = useRef<HTMLOListElement>(null);
  const width = useElementWidth(list);
  const columns = balancedColumns(p.cells.length, width);
  return (
    <ol
      ref={list}
      className="strip"
      aria-label={p.label}
      style={{ gridTemplateColumns: `repeat(${columns}, minmax(0, 1fr))` }}
      onMouseLeave={() => p.onHover(null)}
    >
      {p.cells.map((c) => (
        <Cell
          key={c.position}
          position={c.position}
          state={c.state}
          token={c.token}
          guess={c.guess}
          struck={c.struck}
          seen={c.seen}
          confidence={c.state === 'kept' ? c.commitConfidence : c.confidence}
          fadeKey={c.struck === null ? -1 : p.frame}
          selected={p.selected === c.position}
          highlighted={p.highlighted === c.position}
          manifest={p.manifest}
          strategy={p.strategy}
          onHover={p.onHover}
          onSelect={p.onSelect}
        />
      ))}
    </ol>
  );
});

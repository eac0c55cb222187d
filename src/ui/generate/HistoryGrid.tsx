import { memo, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import type { TraceRecord } from '../../core/sampler';
import { expectedLastFrame, type GenerationRun } from '../../state/generationRun';
import { useElementWidth } from '../common/useElementWidth';
import { readToken, useTheme } from '../theme/theme';
import { actionText, callName, callOptions } from './callAction';
import { cellState, type CellState } from './cells';
import { confidenceColour, confidenceUnit, textOn } from './confidenceScale';
import { CELL_STATE_TEXT } from './TokenStrip';
import { tokenLabel, type TokenNames } from './tokenText';

const ROW_H = 20;
const HEADER_H = 18;
const LEFT = 30;
const MIN_CELL_W = 34;
const MAX_CELL_W = 76;
const FONT = '12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace';

/** The colours of the grid, read from the design tokens (so the dark theme needs nothing here). */
function palette() {
  return {
    bg: readToken('--surface'),
    text: readToken('--text'),
    muted: readToken('--text-muted'),
    mask: readToken('--mask-bg'),
    maskText: readToken('--mask-text'),
    pinned: readToken('--pinned-bg'),
    remask: readToken('--remask'),
    edit: readToken('--edit'),
    border: readToken('--border'),
    hatch: readToken('--border-strong'),
  };
}
type Palette = ReturnType<typeof palette>;

/** A label cut to fit a width, with an ellipsis; cached per width. */
function fitter(ctx: CanvasRenderingContext2D, width: number) {
  const cache = new Map<string, string>();
  return (text: string) => {
    let out = cache.get(text);
    if (out !== undefined) return out;
    out = text;
    if (ctx.measureText(out).width > width) {
      while (out.length > 1 && ctx.measureText(`${out}…`).width > width) out = out.slice(0, -1);
      out = `${out}…`;
    }
    cache.set(text, out);
    return out;
  };
}

interface Layout {
  n: number;
  rows: number;
  cellW: number;
  width: number;
  height: number;
}

function drawRow(
  ctx: CanvasRenderingContext2D,
  run: GenerationRun,
  r: TraceRecord,
  row: number,
  layout: Layout,
  names: TokenNames,
  colours: Palette,
  fit: (text: string) => string,
) {
  const y = HEADER_H + row * ROW_H;
  ctx.fillStyle = colours.muted;
  ctx.textAlign = 'right';
  ctx.fillText(String(row + 1), LEFT - 5, y + ROW_H / 2);
  ctx.textAlign = 'center';
  for (let i = 0; i < layout.n; i++) {
    const x = LEFT + i * layout.cellW;
    const state = cellState(r, run.pinned[i], i, run.maskId);
    let fill = colours.bg;
    let ink = colours.text;
    let token = r.after[i];
    let struck = false;
    const ranked = Number.isFinite(r.confidence[i]);
    if (state === 'new' && ranked) {
      fill = confidenceColour(confidenceUnit(run.options.strategy, r.confidence[i], run.vocabSize));
      ink = textOn(fill);
    } else if (state === 'edited') {
      // Rewritten by this call (LLaDA2.1): the new token on the edit colour.
      fill = colours.edit;
      ink = textOn(fill);
    } else if (state === 'pinned') {
      fill = colours.pinned;
    } else if (state === 'masked' || state === 'discarded') {
      // A guess thrown away is the normal fate of a masked position under the article's sampler:
      // the strip strikes it through for the call on screen; here it stays a faint guess.
      fill = colours.mask;
      ink = colours.maskText;
      token = r.prediction[i];
    } else if (state === 'sent-back') {
      fill = colours.mask;
      ink = colours.remask;
      token = r.before[i];
      struck = true;
    }
    ctx.fillStyle = fill;
    ctx.fillRect(x + 1, y + 1, layout.cellW - 2, ROW_H - 2);
    if (state === 'kept' || (state === 'new' && !ranked)) {
      // Committed earlier: outlined. Committed now with −∞ confidence ([EOS] ranked last by
      // rule, not by the model): no colour on the confidence scale, a strong outline instead.
      ctx.strokeStyle = state === 'kept' ? colours.border : colours.text;
      ctx.lineWidth = state === 'kept' ? 1 : 2;
      ctx.strokeRect(x + 1.5, y + 1.5, layout.cellW - 3, ROW_H - 3);
      ctx.lineWidth = 1;
    }
    if (i >= r.inputLength) {
      // A prefix call (LLaDA2's block-causal window) did not give the model this position.
      ctx.strokeStyle = colours.hatch;
      ctx.beginPath();
      for (let h = -ROW_H; h < layout.cellW; h += 6) {
        ctx.moveTo(x + Math.max(1, h), y + 1 + Math.max(0, -h));
        ctx.lineTo(
          x + Math.min(layout.cellW - 1, h + ROW_H - 2),
          y + Math.min(ROW_H - 1, layout.cellW - h - 1),
        );
      }
      ctx.stroke();
    }
    const label = fit(tokenLabel(names, token));
    ctx.fillStyle = ink;
    ctx.globalAlpha = state === 'masked' || state === 'discarded' ? 0.75 : 1;
    ctx.fillText(label, x + layout.cellW / 2, y + ROW_H / 2 + 1);
    ctx.globalAlpha = 1;
    if (struck) {
      const w = Math.min(layout.cellW - 6, ctx.measureText(label).width);
      ctx.strokeStyle = colours.remask;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      ctx.moveTo(x + (layout.cellW - w) / 2, y + ROW_H / 2 + 1);
      ctx.lineTo(x + (layout.cellW + w) / 2, y + ROW_H / 2 + 1);
      ctx.stroke();
      ctx.lineWidth = 1;
    }
  }
}

/** One sentence per call for assistive technology and tests: what it committed and sent back. */
function describeCall(run: GenerationRun, r: TraceRecord, names: TokenNames): string {
  const at = (s: CellState) =>
    r.status.flatMap((_, i) =>
      cellState(r, run.pinned[i], i, run.maskId) === s
        ? [`${tokenLabel(names, s === 'sent-back' ? r.before[i] : r.after[i])} at ${i + 1}`]
        : [],
    );
  const committed = at('new');
  const sentBack = at('sent-back');
  const edited = r.status.flatMap((_, i) =>
    cellState(r, run.pinned[i], i, run.maskId) === 'edited'
      ? [`${tokenLabel(names, r.after[i])} at ${i + 1} (was ${tokenLabel(names, r.before[i])})`]
      : [],
  );
  const o = callOptions(run, r);
  return `${callName(r, o)}: ${actionText(r, o, run.maskId)}. ${
    committed.length ? `Committed ${committed.join(', ')}.` : 'Committed nothing.'
  }${edited.length ? ` Rewrote ${edited.join(', ')}.` : ''}${sentBack.length ? ` Sent back ${sentBack.join(', ')}.` : ''}`;
}

const CallList = memo(function CallList({
  run,
  names,
  label,
}: {
  run: GenerationRun;
  names: TokenNames;
  label: string;
}) {
  // A fast model delivers a whole run in one store update; deferred, these rows render in a
  // background pass instead of one long task.
  const deferred = useDeferredValue(run);
  return (
    <ol className="sr-only" aria-label={`${label}, call by call`}>
      {deferred.records.map((r) => (
        <li key={r.call} data-testid="history-row" data-committed={r.committed}>
          {describeCall(deferred, r, names)}
        </li>
      ))}
    </ol>
  );
});

interface Props {
  run: GenerationRun;
  names: TokenNames;
  /** The frame shown: row frame − 1 is the call that made it. */
  frame: number;
  label: string;
  /** A position pointed at in the grid (null when the pointer leaves). */
  onHoverPosition?: (position: number | null) => void;
  /** Clicking a row shows the frame after that call. */
  onSeek?: (frame: number) => void;
}

/**
 * The run's whole history at a glance: a row per model call, a column per position, each cell
 * the token there after the call in its state's colour — committed by this call (coloured by
 * confidence), committed earlier (outlined), still masked (the model's guess, faint), a guess
 * thrown away or a token sent back (struck through), pinned. The new cells of successive rows
 * are the order in which the sentence was painted. Canvas for the cells (redrawn only for new
 * rows, a resize or a theme change), HTML for the cursor; from 16 to 64 positions a cell keeps
 * at least 34 px, and a wide window scrolls inside its own box.
 */
export function HistoryGrid({ run, names, frame, label, onHoverPosition, onSeek }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const boxWidth = useElementWidth(box);
  const canvas = useRef<HTMLCanvasElement>(null);
  const drawn = useRef({ rows: 0, key: '' });
  const [pointed, setPointed] = useState<{ row: number; position: number } | null>(null);
  const theme = useTheme();

  const n = run.initial.length;
  const rows = Math.max(1, expectedLastFrame(run));
  const layout = useMemo<Layout>(() => {
    const fitWidth = Math.floor((boxWidth - LEFT) / n);
    const cellW = Math.max(MIN_CELL_W, Math.min(MAX_CELL_W, fitWidth || MIN_CELL_W));
    return { n, rows, cellW, width: LEFT + n * cellW, height: HEADER_H + rows * ROW_H };
  }, [boxWidth, n, rows]);

  // Draw the rows not drawn yet; everything when the layout, run or theme changed.
  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx || boxWidth === 0) return;
    const key = `${layout.width}x${layout.height}:${theme}:${run.initial.join()}:${JSON.stringify(run.options)}`;
    const dpr = globalThis.devicePixelRatio || 1;
    const colours = palette();
    ctx.font = FONT;
    let from = drawn.current.rows;
    if (drawn.current.key !== key || run.records.length < from) {
      el.width = Math.round(layout.width * dpr);
      el.height = Math.round(layout.height * dpr);
      ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
      ctx.font = FONT;
      ctx.textBaseline = 'middle';
      ctx.fillStyle = colours.bg;
      ctx.fillRect(0, 0, layout.width, layout.height);
      ctx.fillStyle = colours.muted;
      ctx.textAlign = 'center';
      for (let i = 0; i < n; i++) {
        ctx.fillText(String(i + 1), LEFT + i * layout.cellW + layout.cellW / 2, HEADER_H / 2);
      }
      from = 0;
    }
    ctx.textBaseline = 'middle';
    const fit = fitter(ctx, layout.cellW - 6);
    for (let row = from; row < run.records.length; row++) {
      drawRow(ctx, run, run.records[row], row, layout, names, colours, fit);
    }
    drawn.current = { rows: run.records.length, key };
  }, [run, layout, names, theme, n, boxWidth]);

  // Keep the shown call in view when the box scrolls.
  const shownRow = Math.min(frame, run.records.length) - 1;
  useEffect(() => {
    const el = box.current;
    if (!el || shownRow < 0) return;
    const top = HEADER_H + shownRow * ROW_H;
    if (top < el.scrollTop + HEADER_H || top + ROW_H > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, top - el.clientHeight / 2);
    }
  }, [shownRow]);

  const at = (e: React.MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const x = e.clientX - rect.left - LEFT;
    const y = e.clientY - rect.top - HEADER_H;
    const position = Math.floor(x / layout.cellW);
    const row = Math.floor(y / ROW_H);
    if (x < 0 || y < 0 || position >= n || row >= run.records.length) return null;
    return { row, position };
  };
  const pointedRecord = pointed ? run.records[pointed.row] : null;
  const readout =
    pointed && pointedRecord
      ? (() => {
          const state = cellState(
            pointedRecord,
            run.pinned[pointed.position],
            pointed.position,
            run.maskId,
          );
          const c = pointedRecord.confidence[pointed.position];
          const token =
            state === 'masked' || state === 'discarded'
              ? pointedRecord.prediction[pointed.position]
              : state === 'sent-back'
                ? pointedRecord.before[pointed.position]
                : pointedRecord.after[pointed.position];
          return `${callName(pointedRecord, callOptions(run, pointedRecord))} · position ${pointed.position + 1}: ${tokenLabel(names, token)} — ${CELL_STATE_TEXT[state]}${state === 'pinned' ? '' : `, confidence ${Number.isFinite(c) ? c.toFixed(3) : '−∞'}`}`;
        })()
      : 'Rows: model calls, top to bottom. Point at a cell for its token; click a row to show that call.';

  return (
    <figure className="history" aria-label={label} data-rows={run.records.length}>
      {/* Focusable: a window wider than its box scrolls, by keyboard too. */}
      <div className="history-box" ref={box} tabIndex={0}>
        <div className="history-canvas" style={{ width: layout.width, height: layout.height }}>
          <canvas
            ref={canvas}
            role="img"
            aria-label={`${label}: ${run.records.length} model calls of ${n} positions, the tokens after each call in their state's colour`}
            style={{ width: layout.width, height: layout.height }}
            onPointerMove={(e) => {
              const p = at(e);
              setPointed(p);
              onHoverPosition?.(p?.position ?? null);
            }}
            onPointerLeave={() => {
              setPointed(null);
              onHoverPosition?.(null);
            }}
            onClick={(e) => {
              const p = at(e);
              if (p && onSeek) onSeek(p.row + 1);
            }}
          />
          {run.records.length > shownRow + 1 && (
            <div
              className="history-ahead"
              aria-hidden="true"
              style={{
                top: HEADER_H + (shownRow + 1) * ROW_H,
                height: (run.records.length - shownRow - 1) * ROW_H,
                width: layout.width,
              }}
            />
          )}
          {shownRow >= 0 && (
            <div
              className="history-cursor"
              aria-hidden="true"
              style={{ top: HEADER_H + shownRow * ROW_H, width: layout.width }}
            />
          )}
        </div>
      </div>
      <figcaption className="small muted history-readout">{readout}</figcaption>
      <CallList run={run} names={names} label={label} />
    </figure>
  );
}

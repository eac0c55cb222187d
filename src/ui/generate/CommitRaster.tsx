import { memo, useEffect, useMemo, useRef } from 'react';
import { expectedLastFrame, type GenerationRun } from '../../state/generationRun';
import { callColour } from './confidenceScale';

const CELL_W = 24;
const LEFT = 34;
const TOP = 16;
const BACKGROUND = '#f4f3ef';
const PINNED = '#d5dbe3';
const COMPUTED_AHEAD = '#e9e7e0';
const SENT_BACK = '#d9480f';
const EDITED = '#7048e8';

function rowHeight(rows: number): number {
  return rows <= 16 ? 14 : Math.max(3, Math.floor(224 / rows));
}

/**
 * Per shown call, which positions were committed, e.g. "call 1: 3, 5 · call 2: 1, 8 ·…",
 * for assistive technology (the canvas itself is a picture).
 */
function describe(run: GenerationRun, frame: number): string {
  const parts: string[] = [];
  for (const r of run.records.slice(0, frame)) {
    const committed = r.status.flatMap((s, i) => (s === 'committed' ? [i + 1] : []));
    const edited = r.status.flatMap((s, i) => (s === 'edited' ? [i + 1] : []));
    const sentBack = r.status.flatMap((s, i) =>
      s === 'remasked' && r.before[i] !== run.maskId ? [i + 1] : [],
    );
    parts.push(
      `call ${r.call + 1}: ${committed.join(', ') || 'none'}${edited.length ? ` (edited ${edited.join(', ')})` : ''}${sentBack.length ? ` (sent back ${sentBack.join(', ')})` : ''}`,
    );
  }
  return `Commit order, position by call. ${parts.join(' · ') || 'No call shown yet.'}`;
}

// Created once: React skips an identical element, so the caption does not re-render per frame.
const CAPTION = (
  <figcaption className="small muted">
    Rows: model calls, top to bottom; columns: positions. Colour: the call that committed the token
    (
    <span className="ramp ramp-calls" aria-hidden="true" /> first → last); pale: kept since;{' '}
    <span className="sent-back-mark">✕</span> sent back to [MASK];{' '}
    <span className="edit-mark">○</span> rewritten (edited); grey: pinned.
  </figcaption>
);

/** Position numbers on top, call numbers on the left (drawn once per layout, not per frame). */
const RasterAxes = memo(function RasterAxes({
  n,
  rows,
  h,
}: {
  n: number;
  rows: number;
  h: number;
}) {
  const labelEvery = Math.ceil(rows / Math.max(1, Math.floor((rows * h) / 14)));
  return (
    <>
      {Array.from({ length: n }, (_, i) => (
        <text key={i} x={LEFT + i * CELL_W + CELL_W / 2} y={11} textAnchor="middle">
          {i + 1}
        </text>
      ))}
      {Array.from({ length: rows }, (_, r) =>
        r % labelEvery === 0 ? (
          <text key={`r${r}`} x={LEFT - 4} y={TOP + r * h + h / 2 + 3} textAnchor="end">
            {r + 1}
          </text>
        ) : null,
      )}
    </>
  );
});

/**
 * The order in which the sentence was painted: a row per model call, a column per position, each
 * committed cell coloured by the call that committed it (first → last, viridis) and kept in a
 * lighter shade afterwards; ✕ marks a committed token sent back to [MASK], ○ a committed token
 * rewritten (LLaDA2.1's edits, recoloured by the call that wrote it). Rows after the shown
 * frame that are already computed are greyed. Canvas for the grid, SVG for labels and the
 * cursor.
 */
export function CommitRaster({
  run,
  frame,
  label,
}: {
  run: GenerationRun;
  frame: number;
  label: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const n = run.initial.length;
  const rows = Math.max(1, expectedLastFrame(run));
  const h = rowHeight(rows);
  const width = n * CELL_W;
  const height = rows * h;
  const shown = Math.min(frame, run.records.length);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    el.width = Math.round(width * dpr);
    el.height = Math.round(height * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = BACKGROUND;
    ctx.fillRect(0, 0, width, height);
    const committedAt = new Array<number>(n).fill(-1);
    run.records.forEach((r, row) => {
      const y = row * h;
      if (row >= shown) {
        ctx.fillStyle = COMPUTED_AHEAD;
        ctx.fillRect(0, y, width, h - 1);
        return;
      }
      for (let i = 0; i < n; i++) {
        const x = i * CELL_W;
        const status = r.status[i];
        if (status === 'committed' || status === 'edited') committedAt[i] = r.call;
        if (status === 'remasked' && r.before[i] !== run.maskId) committedAt[i] = -1;
        if (status === 'pinned') {
          ctx.fillStyle = PINNED;
          ctx.fillRect(x, y, CELL_W - 1, h - 1);
        } else if (committedAt[i] >= 0) {
          ctx.globalAlpha = status === 'committed' || status === 'edited' ? 1 : 0.3;
          ctx.fillStyle = callColour(committedAt[i], rows);
          ctx.fillRect(x, y, CELL_W - 1, h - 1);
          ctx.globalAlpha = 1;
        }
        if (status === 'edited') {
          ctx.strokeStyle = EDITED;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.arc(x + CELL_W / 2 - 0.5, y + h / 2 - 0.5, Math.max(2, h / 2 - 2), 0, 2 * Math.PI);
          ctx.stroke();
        }
        if (status === 'remasked' && r.before[i] !== run.maskId) {
          ctx.strokeStyle = SENT_BACK;
          ctx.lineWidth = 1.5;
          ctx.beginPath();
          ctx.moveTo(x + 3, y + 1);
          ctx.lineTo(x + CELL_W - 4, y + h - 2);
          ctx.moveTo(x + CELL_W - 4, y + 1);
          ctx.lineTo(x + 3, y + h - 2);
          ctx.stroke();
        }
      }
    });
  }, [run.records, run.maskId, n, h, width, height, rows, shown]);

  const description = useMemo(() => describe(run, shown), [run, shown]);
  return (
    <figure className="raster" aria-label={label}>
      <div className="raster-box" style={{ width: LEFT + width, height: TOP + height }}>
        <canvas
          ref={canvas}
          role="img"
          aria-label={description}
          data-shown={shown}
          style={{ left: LEFT, top: TOP, width, height }}
        />
        <svg width={LEFT + width} height={TOP + height} aria-hidden="true">
          <RasterAxes n={n} rows={rows} h={h} />
          {shown > 0 && (
            <line
              className="raster-cursor"
              x1={LEFT - 2}
              x2={LEFT + width}
              y1={TOP + shown * h - 0.5}
              y2={TOP + shown * h - 0.5}
            />
          )}
        </svg>
      </div>
      {CAPTION}
    </figure>
  );
}

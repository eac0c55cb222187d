import { scaleLinear } from 'd3';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { answerEmergence } from '../../core/sampler';
import type { ModelManifest } from '../../model/manifest';
import type { GenerationRun } from '../../state/generationRun';
import {
  EDITED_COLOUR,
  emergenceCells,
  emergenceLayout,
  emergenceSvg,
  GUESS_COLOURS,
  GUESS_TEXT,
  SETTLED_ALPHA,
  WRITTEN_COLOUR,
} from './emergenceFigure';
import { saveFile, svgToPng } from './saveFile';
import { tokenLabel } from './tokenText';

const CHART_H = 64;

function fileBase(run: GenerationRun): string {
  return `unmask-decode-steps-${run.options.strategy}-seed${run.options.seed}`;
}

/** Tokens written per model call (committed, and edited on top), one bar per call. */
function WrittenPerCall({
  committed,
  edited,
  width,
}: {
  committed: number[];
  edited: number[];
  width: number;
}) {
  const calls = committed.length;
  const max = Math.max(1, ...committed.map((c, k) => c + edited[k]));
  const y = scaleLinear()
    .domain([0, max])
    .range([CHART_H - 12, 4]);
  const bw = Math.max(1, Math.min(18, (width - 24) / Math.max(1, calls)));
  const text = committed.map(
    (c, k) => `call ${k + 1}: ${c}${edited[k] ? ` + ${edited[k]} edited` : ''}`,
  );
  return (
    <svg
      className="written-per-call"
      width={width}
      height={CHART_H}
      role="img"
      aria-label={`Tokens written per model call: ${text.join(', ')}`}
    >
      <text x={0} y={10} className="small">
        {max}
      </text>
      {committed.map((c, k) => (
        <g key={k}>
          <rect
            x={24 + k * bw}
            y={y(c)}
            width={bw - 1}
            height={y(0) - y(c)}
            style={{ fill: 'var(--chart-series-0)' }}
          />
          {edited[k] > 0 && (
            <rect
              x={24 + k * bw}
              y={y(c + edited[k])}
              width={bw - 1}
              height={y(c) - y(c + edited[k])}
              fill={EDITED_COLOUR}
            />
          )}
        </g>
      ))}
      <line
        x1={22}
        x2={width}
        y1={y(0) + 0.5}
        y2={y(0) + 0.5}
        stroke="currentColor"
        strokeWidth={0.5}
      />
      <text x={24} y={CHART_H - 1} className="small">
        call 1
      </text>
      <text x={24 + calls * bw} y={CHART_H - 1} textAnchor="end" className="small">
        {calls}
      </text>
    </svg>
  );
}

/**
 * Where the answers emerged in one run (issue 15, item 4): per position and call, whether the
 * model's top guess was already the final token, when it first was, when the token was written;
 * hover (or focus and arrow keys) reads a cell out. Below, the tokens written per call, and the
 * map as SVG or PNG.
 */
export function AnswerEmergence({
  run,
  manifest,
  label,
}: {
  run: GenerationRun;
  manifest: ModelManifest;
  label: string;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLElement>(null);
  const [maxWidth, setMaxWidth] = useState(330);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) =>
      setMaxWidth(Math.max(120, Math.floor(entry.contentRect.width))),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const { records } = run;
  const map = useMemo(
    () =>
      answerEmergence({
        initial: run.initial,
        pinned: run.pinned,
        maskId: run.maskId,
        records,
        greedy: run.options.temperature === 0,
      }),
    [run.initial, run.pinned, run.maskId, records, run.options.temperature],
  );
  const cells = useMemo(() => emergenceCells(map, records), [map, records]);
  const n = run.initial.length;
  const L = emergenceLayout(n, map.calls, maxWidth);
  const fullW = L.left + L.width;
  const fullH = L.top + L.height;
  const [focus, setFocus] = useState<{ call: number; position: number } | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);
  const word = (id: number) => tokenLabel(manifest, id);

  useEffect(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const dpr = globalThis.devicePixelRatio || 1;
    el.width = Math.round(fullW * dpr);
    el.height = Math.round(fullH * dpr);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, fullW, fullH);
    // Position numbers on top, call numbers on the left (every few when they would crowd).
    ctx.fillStyle = getComputedStyle(el).color;
    ctx.font = '9px sans-serif';
    ctx.textAlign = 'center';
    const everyPos = L.cellW >= 14 ? 1 : Math.ceil(14 / L.cellW);
    for (let i = 0; i < n; i += everyPos) {
      ctx.fillText(String(i + 1), L.left + i * L.cellW + L.cellW / 2, L.top - 4);
    }
    ctx.textAlign = 'right';
    const everyCall = Math.ceil(11 / L.cellH);
    for (let k = 0; k < cells.length; k += everyCall) {
      ctx.fillText(String(k + 1), L.left - 4, L.top + k * L.cellH + L.cellH / 2 + 3);
    }
    ctx.translate(L.left, L.top);
    for (const row of cells) {
      for (const c of row) {
        const x = c.position * L.cellW;
        const y = c.call * L.cellH;
        ctx.globalAlpha = c.settled ? SETTLED_ALPHA : 1;
        ctx.fillStyle = GUESS_COLOURS[c.kind];
        ctx.fillRect(x, y, L.cellW - 1, L.cellH - 1);
        ctx.globalAlpha = 1;
        if (c.kind === 'unseen') {
          ctx.strokeStyle = '#adb5bd';
          ctx.beginPath();
          ctx.moveTo(x, y + L.cellH - 1);
          ctx.lineTo(x + L.cellW - 1, y);
          ctx.stroke();
        }
        if (c.written) {
          ctx.strokeStyle = c.edited ? EDITED_COLOUR : WRITTEN_COLOUR;
          ctx.lineWidth = 1.5;
          ctx.strokeRect(x + 0.75, y + 0.75, L.cellW - 2.5, L.cellH - 2.5);
          ctx.lineWidth = 1;
        }
        if (c.emerged) {
          ctx.fillStyle = '#fff';
          ctx.strokeStyle = WRITTEN_COLOUR;
          ctx.beginPath();
          const r = Math.max(1.5, Math.min(L.cellW, L.cellH) / 5);
          ctx.arc(x + L.cellW / 2 - 0.5, y + L.cellH / 2 - 0.5, r, 0, 2 * Math.PI);
          ctx.fill();
          ctx.stroke();
        }
      }
    }
    if (focus) {
      ctx.strokeStyle = '#3b5bdb';
      ctx.lineWidth = 2;
      ctx.strokeRect(focus.position * L.cellW, focus.call * L.cellH, L.cellW - 1, L.cellH - 1);
      ctx.lineWidth = 1;
    }
  }, [cells, n, fullW, fullH, L.left, L.top, L.cellW, L.cellH, focus]);

  const summary = useMemo(
    () =>
      map.positions
        .filter((p) => !p.pinned)
        .map(
          (p) =>
            `position ${p.position + 1} ${word(p.finalToken)}: ${p.emergedAt === null ? 'never the top guess' : `top guess from call ${p.emergedAt + 1}`}, ${p.committedAt === null ? 'not written' : `written at call ${p.committedAt + 1}`}, guess changed ${p.guessChanges}×`,
        )
        .join('; '),
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [map, manifest],
  );

  if (map.calls === 0) return null;
  const cellAt = (e: MouseEvent<HTMLCanvasElement>) => {
    const rect = e.currentTarget.getBoundingClientRect();
    const position = Math.floor((e.clientX - rect.left - L.left) / L.cellW);
    const call = Math.floor((e.clientY - rect.top - L.top) / L.cellH);
    if (position < 0 || position >= n || call < 0 || call >= map.calls) return null;
    return { call, position };
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const move: Record<string, [number, number]> = {
      ArrowLeft: [0, -1],
      ArrowRight: [0, 1],
      ArrowUp: [-1, 0],
      ArrowDown: [1, 0],
    };
    const d = move[e.key];
    if (!d) return;
    e.preventDefault();
    e.stopPropagation(); // the transport's arrow keys stay with the transport elsewhere
    const f = focus ?? { call: 0, position: 0 };
    setFocus({
      call: Math.min(map.calls - 1, Math.max(0, f.call + d[0])),
      position: Math.min(n - 1, Math.max(0, f.position + d[1])),
    });
  };
  const readout = (() => {
    if (!focus) return 'Hover over the map (or focus it and use the arrow keys) to read a cell.';
    const p = map.positions[focus.position];
    const c = cells[focus.call][focus.position];
    const guess = p.topGuess[focus.call];
    const head = `Position ${p.position + 1} (final: ${word(p.finalToken)}), call ${focus.call + 1}: `;
    if (c.kind === 'pinned') return `${head}pinned.`;
    const now =
      guess === null ? GUESS_TEXT[c.kind] : `top guess ${word(guess)} (${GUESS_TEXT[c.kind]})`;
    const emerged =
      p.emergedAt === null ? 'never the top guess' : `top guess first at call ${p.emergedAt + 1}`;
    const written =
      p.committedAt === null ? 'never written' : `written at call ${p.committedAt + 1}`;
    return `${head}${now}; ${emerged}, ${written}, top guess changed ${p.guessChanges}×.`;
  })();

  const svg = () =>
    emergenceSvg(
      map,
      records,
      map.positions.map((p) => word(p.finalToken)),
      `Where the answers emerged · ${run.options.strategy} · seed ${run.options.seed}`,
    );

  return (
    <figure className="emergence" aria-label={label} ref={box}>
      <div className="emergence-map">
        <canvas
          ref={canvas}
          role="img"
          tabIndex={0}
          aria-label={`Where the answers emerged, position by call. ${summary}`}
          data-calls={map.calls}
          data-left={L.left}
          data-top={L.top}
          data-cell-w={L.cellW}
          data-cell-h={L.cellH}
          style={{ width: fullW, height: fullH }}
          onMouseMove={(e) => {
            // The same cell again keeps the same state: no re-render, no redraw of the map.
            const next = cellAt(e);
            setFocus((prev) =>
              prev && next && prev.call === next.call && prev.position === next.position
                ? prev
                : next,
            );
          }}
          onMouseLeave={() => setFocus(null)}
          onKeyDown={onKey}
        />
      </div>
      <p className="small emergence-readout" aria-live="polite" data-testid="emergence-readout">
        {readout}
      </p>
      <figcaption className="small muted">
        Rows: model calls; columns: positions. <span style={{ color: GUESS_COLOURS.agree }}>■</span>{' '}
        the model&apos;s top guess is already the final token,{' '}
        <span style={{ color: GUESS_COLOURS.differ }}>■</span> it is another; outlined: the call
        that wrote the final token (purple: an edit); dot: where it first became the top guess;
        pale: after the write; hatched: not given to the model.
      </figcaption>
      <WrittenPerCall
        committed={map.committedPerCall}
        edited={map.editedPerCall}
        width={Math.min(360, 24 + map.calls * 18)}
      />
      <div className="row">
        <button
          type="button"
          onClick={() => {
            saveFile(new Blob([svg().svg], { type: 'image/svg+xml' }), `${fileBase(run)}.svg`);
          }}
        >
          Download decode-step map (SVG)
        </button>
        <button
          type="button"
          onClick={() => {
            const figure = svg();
            svgToPng(figure.svg, figure.width, figure.height).then(
              (png) => {
                setExportError(null);
                saveFile(png, `${fileBase(run)}.png`);
              },
              (e: unknown) => setExportError((e as Error).message),
            );
          }}
        >
          Download decode-step map (PNG)
        </button>
      </div>
      {exportError && (
        <p role="alert" className="error-panel">
          {exportError}
        </p>
      )}
    </figure>
  );
}

import { line, scaleLinear, scaleLog } from 'd3';
import { memo, useMemo, useRef } from 'react';
import { isAdaptive, settingLabel } from '../../core/speed/decodingSettings';
import type { SpeedRow } from '../../state/labsSlice';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

/** Natural width; narrower when the chart has less room (useElementWidth). */
const NATURAL_WIDTH = 640;
const HEIGHT = 280;
const MARGIN = { top: 14, right: 20, bottom: 38, left: 52 };

interface Placed {
  row: SpeedRow;
  x: number;
  y: number;
  label: string;
}

/** Short point labels: "S=8", "τ=0.9", "AR". */
function pointLabel(row: SpeedRow): string {
  const s = row.setting;
  if (s.model === 'autoregressive') return 'AR';
  return isAdaptive(s) ? `τ=${s.threshold}` : `S=${s.steps}`;
}

/**
 * Quality against speed at the trained window: the share of grammatical samples (y) against
 * tokens per second (x, log scale), the diffusion model's fixed-S settings joined by a line, its
 * confidence-threshold point and the autoregressive twin as separate marks.
 */
export const SpeedQualityChart = memo(function SpeedQualityChart({
  rows,
}: {
  rows: readonly SpeedRow[];
}) {
  const ref = useRef<SVGSVGElement>(null);
  const room = useElementWidth(ref);
  const width = chartWidth(room, NATURAL_WIDTH);
  const drawing = useMemo(() => {
    const judged = rows.filter((r) => r.valid !== null && Number.isFinite(r.tokensPerSecond));
    if (judged.length === 0) return null;
    const speeds = judged.map((r) => r.tokensPerSecond);
    const x = scaleLog()
      .domain([Math.min(...speeds) / 1.5, Math.max(...speeds) * 1.5])
      .range([MARGIN.left, width - MARGIN.right]);
    const y = scaleLinear()
      .domain([0, 1])
      .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    const placed: Placed[] = judged.map((row) => ({
      row,
      x: x(row.tokensPerSecond),
      y: y(row.valid! / row.samples),
      label: pointLabel(row),
    }));
    const fixed = placed.filter(
      (p) => p.row.setting.model === 'diffusion' && !isAdaptive(p.row.setting),
    );
    const path =
      line<Placed>()
        .x((p) => p.x)
        .y((p) => p.y)(fixed.slice().sort((a, b) => a.x - b.x)) ?? '';
    return { x, y, placed, path };
  }, [rows, width]);
  if (!drawing) return null;
  const { x, y, placed, path } = drawing;
  const kind = (r: SpeedRow) =>
    r.setting.model === 'autoregressive'
      ? 'autoregressive'
      : isAdaptive(r.setting)
        ? 'adaptive'
        : 'diffusion';
  return (
    <svg
      ref={ref}
      width={width}
      height={HEIGHT}
      style={{ maxWidth: NATURAL_WIDTH }}
      className="labs-chart"
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label="Grammatical samples against tokens per second"
      data-testid="speed-chart"
      data-points={placed.length}
    >
      {y.ticks(5).map((v) => (
        <g key={v} transform={`translate(0, ${y(v)})`}>
          <line x1={MARGIN.left} x2={width - MARGIN.right} className="grid" />
          <text x={MARGIN.left - 6} dy="0.32em" textAnchor="end">
            {Math.round(v * 100)}%
          </text>
        </g>
      ))}
      {x.ticks(Math.max(2, Math.min(6, Math.floor(width / 90)))).map((v) => (
        <text key={v} x={x(v)} y={HEIGHT - MARGIN.bottom + 14} textAnchor="middle">
          {x.tickFormat(6, '~s')(v)}
        </text>
      ))}
      <text x={(MARGIN.left + width - MARGIN.right) / 2} y={HEIGHT - 4} textAnchor="middle">
        tokens per second (log scale)
      </text>
      <text transform={`translate(12, ${HEIGHT / 2}) rotate(-90)`} textAnchor="middle">
        grammatical samples
      </text>
      <path d={path} className="mean diffusion" />
      {placed.map((p) => (
        <g
          key={settingLabel(p.row.setting)}
          className={`point ${kind(p.row)}`}
          data-setting={settingLabel(p.row.setting)}
        >
          {kind(p.row) === 'autoregressive' ? (
            <rect x={p.x - 5} y={p.y - 5} width={10} height={10} />
          ) : kind(p.row) === 'adaptive' ? (
            <path d={`M${p.x},${p.y - 7}L${p.x + 7},${p.y}L${p.x},${p.y + 7}L${p.x - 7},${p.y}Z`} />
          ) : (
            <circle cx={p.x} cy={p.y} r={4.5} />
          )}
          {/* The threshold point sits near S = L: its label goes below, theirs above. */}
          <text x={p.x + 8} y={kind(p.row) === 'adaptive' ? p.y + 16 : p.y - 8}>
            {p.label}
          </text>
        </g>
      ))}
    </svg>
  );
});

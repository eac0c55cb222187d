import { area, line, scaleLinear } from 'd3';
import { memo, useMemo, useRef } from 'react';
import type { LossCurve, LossCurvePoint } from '../../core/lossCurve';
import type { MomentsSummary } from '../../core/runningMoments';
import { ChartAxes } from '../common/ChartAxes';
import { BERT_RATIO } from './MaskingControls';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

/** Natural width; narrower when the chart has less room (useElementWidth). */
const NATURAL_WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 36, left: 48 };

export interface CurveSeries {
  id: string;
  label: string;
  curve: LossCurve;
}

type Which = 'weighted' | 'plain';

const usable = (s: MomentsSummary) => s.count > 0 && Number.isFinite(s.mean);

/** Scales from the curves, and the axes, bands and lines they draw (d3 computes, React draws). */
function chartOf(series: CurveSeries[], width: number) {
  const x = scaleLinear()
    .domain([0, 1])
    .range([MARGIN.left, width - MARGIN.right]);
  let top = 0;
  for (const s of series) {
    for (const p of s.curve.points) {
      for (const w of ['weighted', 'plain'] as Which[]) {
        const m = p[w];
        if (usable(m)) top = Math.max(top, m.mean + Math.sqrt(m.variance));
      }
    }
  }
  const y = scaleLinear()
    .domain([0, top || 1])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const pathOf = (points: LossCurvePoint[], w: Which) =>
    line<LossCurvePoint>()
      .defined((p) => usable(p[w]))
      .x((p) => x(p.t))
      .y((p) => y(p[w].mean))(points) ?? '';
  const bandOf = (points: LossCurvePoint[], w: Which) =>
    area<LossCurvePoint>()
      .defined((p) => usable(p[w]))
      .x((p) => x(p.t))
      .y0((p) => y(Math.max(0, p[w].mean - Math.sqrt(p[w].variance))))
      .y1((p) => y(p[w].mean + Math.sqrt(p[w].variance)))(points) ?? '';

  const drawing = (
    <>
      <ChartAxes
        frame={{ width: width, height: HEIGHT, margin: MARGIN }}
        x={x}
        y={y}
        xTicks={10}
        xLabel="masking ratio t"
        yLabel="loss (nats)"
      />
      {series.map((s, si) => (
        <g key={s.id} className={`series series-${si}`} data-testid={`curve-${s.id}`}>
          <path d={bandOf(s.curve.points, 'weighted')} className="band weighted" />
          <path d={bandOf(s.curve.points, 'plain')} className="band plain" />
          <path d={pathOf(s.curve.points, 'weighted')} className="mean weighted" />
          <path d={pathOf(s.curve.points, 'plain')} className="mean plain" />
        </g>
      ))}
      <line
        x1={x(BERT_RATIO)}
        x2={x(BERT_RATIO)}
        y1={MARGIN.top}
        y2={HEIGHT - MARGIN.bottom}
        className="marker bert"
      />
      <text x={x(BERT_RATIO) + 3} y={MARGIN.top + 10} className="marker-label">
        BERT 15%
      </text>
    </>
  );
  return { x, drawing };
}

/**
 * The expected loss against t, weighted and plain, each with a ±1 standard deviation band
 * (the spread of a single masked copy's loss: what one training step sees), BERT's 15% and
 * the current t marked.
 */
export const LossCurveChart = memo(function LossCurveChart({
  series,
  t,
}: {
  series: CurveSeries[];
  t: number;
}) {
  const ref = useRef<SVGSVGElement>(null);
  const room = useElementWidth(ref);
  const width = chartWidth(room, NATURAL_WIDTH);
  // The curves change rarely; moving t redraws only the marker.
  const { x, drawing } = useMemo(() => chartOf(series, width), [series, width]);
  return (
    <svg
      ref={ref}
      width={width}
      height={HEIGHT}
      style={{ maxWidth: NATURAL_WIDTH }}
      className="explore-chart explore-curve"
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label="Expected loss against the masking ratio"
    >
      {drawing}
      <line
        x1={x(t)}
        x2={x(t)}
        y1={MARGIN.top}
        y2={HEIGHT - MARGIN.bottom}
        className="marker current"
        data-testid="curve-current-t"
        data-t={t}
      />
      <text x={x(t) + 3} y={MARGIN.top + 24} className="marker-label current">
        t = {t.toFixed(2)}
      </text>
    </svg>
  );
});

import { line, scaleLinear } from 'd3';
import { memo, useId, useMemo, useRef } from 'react';
import { ChartAxes } from '../common/ChartAxes';
import { PlotClip } from '../common/PlotClip';
import { smoothLosses, type LossPoint } from '../../train/trainingProtocol';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

/** Natural width; narrower when the chart has less room (useElementWidth). */
const NATURAL_WIDTH = 640;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 34, left: 48 };
/** Above this many points the raw line is thinned (the smoothed line keeps every step). */
const MAX_RAW_POINTS = 1500;

interface Props {
  history: readonly LossPoint[];
  totalSteps: number;
}

/** The loss per step, raw (thin) and smoothed (bold): d3 computes the paths, React draws them. */
export const LossChart = memo(function LossChart({ history, totalSteps }: Props) {
  const ref = useRef<SVGSVGElement>(null);
  const clipId = useId();
  const room = useElementWidth(ref);
  const width = chartWidth(room, NATURAL_WIDTH);
  const drawing = useMemo(() => {
    const smooth = smoothLosses(history.map((p) => p.loss));
    const x = scaleLinear()
      .domain([0, Math.max(totalSteps, history.at(-1)?.step ?? 1)])
      .range([MARGIN.left, width - MARGIN.right]);
    let top = 0;
    for (const p of history) if (Number.isFinite(p.loss)) top = Math.max(top, p.loss);
    const y = scaleLinear()
      .domain([0, top || 1])
      .nice()
      .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    const stride = Math.max(1, Math.ceil(history.length / MAX_RAW_POINTS));
    const raw =
      line<LossPoint>()
        .defined((p) => Number.isFinite(p.loss))
        .x((p) => x(p.step))
        .y((p) => y(p.loss))(history.filter((_, i) => i % stride === 0)) ?? '';
    const smoothed =
      line<number>()
        .defined((v) => Number.isFinite(v))
        .x((_, i) => x(history[i].step))
        .y((v) => y(v))(smooth) ?? '';
    return { x, y, raw, smoothed, last: smooth.at(-1) };
  }, [history, totalSteps, width]);
  const { x, y, raw, smoothed, last } = drawing;
  return (
    <figure className="train-chart">
      <svg
        ref={ref}
        width={width}
        height={HEIGHT}
        style={{ maxWidth: NATURAL_WIDTH }}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label="Training loss"
        data-points={history.length}
        data-first-losses={history
          .slice(0, 5)
          .map((p) => p.loss)
          .join(' ')}
        data-last-losses={history
          .slice(-5)
          .map((p) => p.loss)
          .join(' ')}
        data-smoothed={last === undefined ? '' : last.toFixed(4)}
      >
        <ChartAxes
          frame={{ width: width, height: HEIGHT, margin: MARGIN }}
          x={x}
          y={y}
          xTicks={6}
          xLabel="step"
          yLabel="loss (nats)"
          xTickOffset={16}
        />
        <PlotClip id={clipId} frame={{ width, height: HEIGHT, margin: MARGIN }} />
        <g clipPath={`url(#${clipId})`}>
          <path d={raw} className="train-loss-raw" />
          <path d={smoothed} className="train-loss-smooth" />
        </g>
      </svg>
      <figcaption className="small muted">
        Loss per step (thin) and its moving average (bold)
        {last !== undefined && Number.isFinite(last) ? `: ${last.toFixed(3)}` : ''}
      </figcaption>
    </figure>
  );
});

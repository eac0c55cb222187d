import { line, scaleLinear } from 'd3';
import { memo, useId, useMemo, useRef } from 'react';
import { ChartAxes } from '../common/ChartAxes';
import { PlotClip } from '../common/PlotClip';
import { historyResolution, historyX, type HistoryPoint } from '../../train/lossHistory';
import { smoothLosses } from '../../train/trainingProtocol';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

/** Natural width; narrower when the chart has less room (useElementWidth). */
const NATURAL_WIDTH = 640;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 34, left: 48 };
/** Above this many points the raw line is thinned (the smoothed line keeps every point). */
const MAX_RAW_POINTS = 1500;

interface Props {
  /** Bounded (lossHistory.ts): a point per step, or past its cap a mean over 2, 4, … steps. */
  history: readonly HistoryPoint[];
  totalSteps: number;
}

/**
 * The loss per step (or per point's steps), raw (thin) and smoothed (bold): d3 computes the
 * paths, React draws them. A point sits at the middle of the steps it covers.
 */
export const LossChart = memo(function LossChart({ history, totalSteps }: Props) {
  const ref = useRef<SVGSVGElement>(null);
  const clipId = useId();
  const room = useElementWidth(ref);
  const width = chartWidth(room, NATURAL_WIDTH);
  const drawing = useMemo(() => {
    // Per-step smoothing: a point of n steps weighs as n steps would.
    const smooth = smoothLosses(
      history.map((p) => p.loss),
      undefined,
      history.map((p) => p.span),
    );
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
      line<HistoryPoint>()
        .defined((p) => Number.isFinite(p.loss))
        .x((p) => x(historyX(p)))
        .y((p) => y(p.loss))(history.filter((_, i) => i % stride === 0)) ?? '';
    const smoothed =
      line<number>()
        .defined((v) => Number.isFinite(v))
        .x((_, i) => x(historyX(history[i])))
        .y((v) => y(v))(smooth) ?? '';
    const covered = history.reduce((n, p) => n + p.span, 0);
    return { x, y, raw, smoothed, last: smooth.at(-1), span: historyResolution(history), covered };
  }, [history, totalSteps, width]);
  const { x, y, raw, smoothed, last, span, covered } = drawing;
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
        data-steps-per-point={span}
        data-steps-covered={covered}
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
        {span === 1 ? 'Loss per step' : `Mean loss per ${span.toLocaleString('en')} steps`} (thin)
        and its moving average (bold)
        {last !== undefined && Number.isFinite(last) ? `: ${last.toFixed(3)}` : ''}
      </figcaption>
    </figure>
  );
});

import { area, line, scaleLinear } from 'd3';
import { memo, useMemo, useRef } from 'react';
import type { ElboPoint } from '../../core/likelihood/negativeElbo';
import { ChartAxes } from '../common/ChartAxes';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

/** Natural width; narrower when the chart has less room (useElementWidth). */
const NATURAL_WIDTH = 640;
const HEIGHT = 260;
const MARGIN = { top: 12, right: 16, bottom: 36, left: 52 };

interface Props {
  points: readonly ElboPoint[];
  /** Planned draws: the x axis runs to here, so the line grows across the chart. */
  samples: number;
  /** The twin's exact −log p, drawn as a level line; null until it is known. */
  autoregressive: number | null;
}

/**
 * The diffusion model's Monte Carlo −ELBO against the number of draws, with a ±1 standard error
 * band, beside the autoregressive twin's exact negative log-likelihood: d3 computes, React draws.
 */
export const LikelihoodChart = memo(function LikelihoodChart({
  points,
  samples,
  autoregressive,
}: Props) {
  const ref = useRef<SVGSVGElement>(null);
  const room = useElementWidth(ref);
  const width = chartWidth(room, NATURAL_WIDTH);
  const drawing = useMemo(() => {
    const usable = points.filter((p) => p.n > 0 && Number.isFinite(p.mean));
    const x = scaleLinear()
      .domain([0, Math.max(samples, usable.at(-1)?.n ?? 1)])
      .range([MARGIN.left, width - MARGIN.right]);
    const values = usable.flatMap((p) => [p.mean - p.standardError, p.mean + p.standardError]);
    if (autoregressive !== null) values.push(autoregressive);
    const lo = Math.min(0, ...values);
    const hi = values.length ? Math.max(...values) : 1;
    const y = scaleLinear()
      .domain([lo, hi || 1])
      .nice()
      .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    const band =
      area<ElboPoint>()
        .x((p) => x(p.n))
        .y0((p) => y(p.mean - p.standardError))
        .y1((p) => y(p.mean + p.standardError))(usable) ?? '';
    const mean =
      line<ElboPoint>()
        .x((p) => x(p.n))
        .y((p) => y(p.mean))(usable) ?? '';
    return { x, y, band, mean, last: usable.at(-1) };
  }, [points, samples, autoregressive, width]);
  const { x, y, band, mean, last } = drawing;
  return (
    <svg
      ref={ref}
      width={width}
      height={HEIGHT}
      style={{ maxWidth: NATURAL_WIDTH }}
      className="labs-chart"
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label="Negative ELBO estimate against the number of draws"
      data-testid="likelihood-chart"
      data-points={points.length}
    >
      <ChartAxes
        frame={{ width: width, height: HEIGHT, margin: MARGIN }}
        x={x}
        y={y}
        xTicks={8}
        xLabel="Monte Carlo draws n"
        yLabel="nats (the scored tokens)"
      />
      <path d={band} className="band diffusion" />
      <path d={mean} className="mean diffusion" />
      {last && <circle cx={x(last.n)} cy={y(last.mean)} r={3} className="dot diffusion" />}
      {autoregressive !== null && (
        <g data-testid="likelihood-ar-line">
          <line
            x1={MARGIN.left}
            x2={width - MARGIN.right}
            y1={y(autoregressive)}
            y2={y(autoregressive)}
            className="level autoregressive"
          />
          <text x={MARGIN.left + 6} y={y(autoregressive) + 13} className="label autoregressive">
            twin, exact
          </text>
        </g>
      )}
    </svg>
  );
});

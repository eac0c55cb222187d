import { scaleBand, scaleLinear } from 'd3';
import { memo, useRef } from 'react';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

/** Natural width; narrower when the chart has less room (useElementWidth). */
const NATURAL_WIDTH = 360;
const HEIGHT = 150;
const MARGIN = { top: 10, right: 8, bottom: 28, left: 40 };

/**
 * P(k masked of L) as bars, the current k highlighted. d3 computes the scales; React draws.
 */
export const BinomialChart = memo(function BinomialChart({ pmf, k }: { pmf: number[]; k: number }) {
  const ref = useRef<SVGSVGElement>(null);
  const room = useElementWidth(ref);
  const width = chartWidth(room, NATURAL_WIDTH);
  const L = pmf.length - 1;
  const x = scaleBand<number>()
    .domain(pmf.map((_, i) => i))
    .range([MARGIN.left, width - MARGIN.right])
    .padding(0.15);
  const y = scaleLinear()
    .domain([0, Math.max(...pmf, 1e-12)])
    .nice()
    .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const labelEvery = Math.ceil((L + 1) / 17);
  return (
    <svg
      ref={ref}
      width={width}
      height={HEIGHT}
      style={{ maxWidth: NATURAL_WIDTH }}
      className="explore-chart"
      viewBox={`0 0 ${width} ${HEIGHT}`}
      role="img"
      aria-label={`Distribution of the masked count k for L = ${L}`}
    >
      {y.ticks(4).map((v) => (
        <g key={v} transform={`translate(0, ${y(v)})`}>
          <line x1={MARGIN.left} x2={width - MARGIN.right} className="grid" />
          <text x={MARGIN.left - 4} dy="0.32em" textAnchor="end">
            {v}
          </text>
        </g>
      ))}
      {pmf.map((p, i) => (
        <rect
          key={i}
          x={x(i)}
          width={x.bandwidth()}
          y={y(p)}
          height={y(0) - y(p)}
          className={i === k ? 'bar current' : 'bar'}
          data-testid={i === k ? 'binomial-current' : undefined}
          data-k={i}
          data-p={p}
        >
          <title>{`P(k = ${i}) = ${p.toPrecision(3)}`}</title>
        </rect>
      ))}
      {pmf.map((_, i) =>
        i % labelEvery === 0 || i === k ? (
          <text
            key={i}
            x={(x(i) ?? 0) + x.bandwidth() / 2}
            y={HEIGHT - MARGIN.bottom + 12}
            textAnchor="middle"
            className={i === k ? 'current' : undefined}
          >
            {i}
          </text>
        ) : null,
      )}
      <text x={(MARGIN.left + width - MARGIN.right) / 2} y={HEIGHT - 2} textAnchor="middle">
        k (masked tokens)
      </text>
    </svg>
  );
});

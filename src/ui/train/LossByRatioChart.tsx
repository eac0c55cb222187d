import { scaleLinear } from 'd3';
import { memo, useMemo, useRef } from 'react';
import type { LossWeighting } from '../../core/lossWeights';
import type { RatioBucket } from '../../train/lossByMaskingRatio';
import { ChartAxes } from '../common/ChartAxes';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

/** Natural width; narrower when the chart has less room (useElementWidth). */
const NATURAL_WIDTH = 640;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 34, left: 48 };

interface Props {
  buckets: readonly RatioBucket[];
  weighting: LossWeighting;
}

/**
 * The recent loss of the training rows by their masking ratio t, one bar per bucket (a moving
 * average of the rows that fell into it): d3 computes the scales, React draws the bars.
 */
export const LossByRatioChart = memo(function LossByRatioChart({ buckets, weighting }: Props) {
  const ref = useRef<SVGSVGElement>(null);
  const room = useElementWidth(ref);
  const width = chartWidth(room, NATURAL_WIDTH);
  const { x, y } = useMemo(() => {
    let top = 0;
    for (const b of buckets) if (b.loss !== null) top = Math.max(top, b.loss);
    return {
      x: scaleLinear()
        .domain([0, 1])
        .range([MARGIN.left, width - MARGIN.right]),
      y: scaleLinear()
        .domain([0, top || 1])
        .nice()
        .range([HEIGHT - MARGIN.bottom, MARGIN.top]),
    };
  }, [buckets, width]);
  const filled = buckets.filter((b) => b.loss !== null);
  return (
    <figure className="train-chart">
      <svg
        ref={ref}
        width={width}
        height={HEIGHT}
        style={{ maxWidth: NATURAL_WIDTH }}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label="Loss by masking ratio"
        data-buckets={buckets.length}
        data-filled={filled.length}
        data-rows={buckets.reduce((n, b) => n + b.rows, 0)}
        data-losses={buckets.map((b) => (b.loss === null ? '' : b.loss.toFixed(4))).join(' ')}
      >
        <ChartAxes
          frame={{ width: width, height: HEIGHT, margin: MARGIN }}
          x={x}
          y={y}
          xTicks={10}
          xLabel="masking ratio t"
          xTickOffset={16}
        />
        {filled.map((b) => (
          <rect
            key={b.lo}
            className="train-ratio-bar"
            x={x(b.lo) + 1}
            width={Math.max(0, x(b.hi) - x(b.lo) - 2)}
            y={y(b.loss!)}
            height={Math.max(0, y(0) - y(b.loss!))}
          >
            <title>
              t in [{b.lo.toFixed(1)}, {b.hi.toFixed(1)}): {b.loss!.toFixed(3)} over {b.rows} rows
            </title>
          </rect>
        ))}
      </svg>
      <figcaption className="small muted">
        {buckets.length === 0
          ? 'The loss by masking ratio appears with the first steps.'
          : weighting === 'elbo'
            ? 'Each row’s loss by its masking ratio t (recent rows, averaged per bucket): 1/(t·L) times the cross-entropy at its masked positions, about the loss per masked token. Little masking leaves much context, so low t is easier.'
            : 'Each row’s share of the plain-mean loss by its masking ratio t (recent rows, averaged per bucket): rows with more masks weigh more, so high t dominates this objective.'}
      </figcaption>
    </figure>
  );
});

import { line, scaleLinear } from 'd3';
import { memo, useId, useMemo, useRef } from 'react';
import type { GrammaticalPoint } from '../../state/trainingSlice';
import type { ReferencePoint } from '../../train/referenceRun';
import { ChartAxes } from '../common/ChartAxes';
import { PlotClip } from '../common/PlotClip';
import { chartWidth, useElementWidth } from '../common/useElementWidth';

const NATURAL_WIDTH = 640;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 34, left: 48 };

interface Props {
  points: readonly GrammaticalPoint[];
  totalSteps: number;
  /** The measured run of the same recipe (referenceRun.ts), drawn behind; null for another recipe. */
  reference: readonly ReferencePoint[] | null;
}

/**
 * The share of grammatical samples as the run goes (each set of samples a dot), over the
 * measured curve of the default recipe: what to expect, and whether this run keeps up.
 */
export const GrammaticalChart = memo(function GrammaticalChart({
  points,
  totalSteps,
  reference,
}: Props) {
  const ref = useRef<SVGSVGElement>(null);
  const clipId = useId();
  const width = chartWidth(useElementWidth(ref), NATURAL_WIDTH);
  const { x, y, referencePath } = useMemo(() => {
    const x = scaleLinear()
      .domain([0, Math.max(totalSteps, points.at(-1)?.step ?? 1)])
      .range([MARGIN.left, width - MARGIN.right]);
    const y = scaleLinear()
      .domain([0, 1])
      .range([HEIGHT - MARGIN.bottom, MARGIN.top]);
    const referencePath = reference
      ? (line<{ step: number; grammatical: number }>()
          .x((p) => x(p.step))
          .y((p) => y(p.grammatical))([{ step: 0, grammatical: 0 }, ...reference]) ?? '')
      : '';
    return { x, y, referencePath };
  }, [points, totalSteps, reference, width]);
  const last = points.at(-1);
  return (
    <figure className="train-chart">
      <svg
        ref={ref}
        width={width}
        height={HEIGHT}
        style={{ maxWidth: NATURAL_WIDTH }}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-label="Grammatical samples"
        data-points={points.length}
      >
        {/* A dot's radius of room around the plot, so a share of 0 or 1 shows whole. */}
        <PlotClip id={clipId} frame={{ width, height: HEIGHT, margin: MARGIN }} pad={4} />
        <ChartAxes
          frame={{ width, height: HEIGHT, margin: MARGIN }}
          x={x}
          y={y}
          xTicks={6}
          xLabel="step"
          yLabel="grammatical"
          xTickOffset={16}
        />
        <g clipPath={`url(#${clipId})`}>
          {referencePath && <path d={referencePath} className="train-reference" />}
          {points.map((p) => (
            <circle
              key={p.step}
              className="train-grammatical-dot"
              cx={x(p.step)}
              cy={y(p.valid / p.total)}
              r={3}
            >
              <title>
                step {p.step}: {p.valid} of {p.total} grammatical
              </title>
            </circle>
          ))}
        </g>
      </svg>
      <figcaption className="small muted">
        Share of samples that are grammatical sentences of the corpus (dots: this run
        {last ? `, ${last.total} samples a dot, now ${last.valid} of ${last.total}` : ''})
        {reference ? '; dashed: the measured run of these settings, 200 samples a point' : ''}.
      </figcaption>
    </figure>
  );
});

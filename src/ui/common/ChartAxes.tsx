import type { ScaleLinear } from 'd3';

export interface ChartFrame {
  width: number;
  height: number;
  margin: { top: number; right: number; bottom: number; left: number };
}

/** Horizontal grid lines with y tick labels, x tick labels and the axis titles of a line chart. */
export function ChartAxes({
  frame,
  x,
  y,
  xTicks,
  xLabel,
  yLabel,
  xTickOffset = 14,
}: {
  frame: ChartFrame;
  x: ScaleLinear<number, number>;
  y: ScaleLinear<number, number>;
  xTicks: number;
  xLabel: string;
  yLabel?: string;
  /** Distance of the x tick labels below the plot area. */
  xTickOffset?: number;
}) {
  const { width, height, margin } = frame;
  return (
    <>
      {y.ticks(5).map((v) => (
        <g key={v} transform={`translate(0, ${y(v)})`}>
          <line x1={margin.left} x2={width - margin.right} className="grid" />
          <text x={margin.left - 6} dy="0.32em" textAnchor="end">
            {v}
          </text>
        </g>
      ))}
      {/* Never more labels than fit: about 56 px each, so a phone's narrow chart stays legible. */}
      {x
        .ticks(Math.max(2, Math.min(xTicks, Math.floor((width - margin.left - margin.right) / 56))))
        .map((v) => (
          <text key={v} x={x(v)} y={height - margin.bottom + xTickOffset} textAnchor="middle">
            {v}
          </text>
        ))}
      <text x={(margin.left + width - margin.right) / 2} y={height - 4} textAnchor="middle">
        {xLabel}
      </text>
      {yLabel && (
        <text transform={`translate(12, ${height / 2}) rotate(-90)`} textAnchor="middle">
          {yLabel}
        </text>
      )}
    </>
  );
}

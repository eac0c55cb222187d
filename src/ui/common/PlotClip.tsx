import type { ChartFrame } from './ChartAxes';

/**
 * A clip path around a chart's plot area (grown by `pad` on every side, so a dot on the edge
 * shows whole): lines and marks stay inside their plot whatever a spike or a resize does.
 */
export function PlotClip({ id, frame, pad = 0 }: { id: string; frame: ChartFrame; pad?: number }) {
  const { width, height, margin } = frame;
  return (
    <clipPath id={id}>
      <rect
        x={margin.left - pad}
        y={margin.top - pad}
        width={Math.max(0, width - margin.left - margin.right + 2 * pad)}
        height={Math.max(0, height - margin.top - margin.bottom + 2 * pad)}
      />
    </clipPath>
  );
}

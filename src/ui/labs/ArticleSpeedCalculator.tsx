import { useState } from 'react';
import {
  ARTICLE_EXAMPLE,
  compareSpeed,
  type SpeedExample,
} from '../../core/speed/articleSpeedExample';
import { isAdaptive } from '../../core/speed/decodingSettings';
import type { SpeedRow } from '../../state/labsSlice';
import { formatNumber } from '../explore/format';
import { NumberField } from '../generate/NumberField';

const FIELDS: { key: keyof SpeedExample; label: string; min: number }[] = [
  { key: 'length', label: 'Tokens to write L', min: 1 },
  { key: 'arMsPerPass', label: 'ms per autoregressive pass', min: 0 },
  { key: 'steps', label: 'Diffusion steps S', min: 1 },
  { key: 'diffusionMsPerPass', label: 'ms per diffusion pass', min: 0 },
];

/** The longest measured window's per-call times, from the speed lab's rows. */
function measuredPerCall(rows: readonly SpeedRow[]) {
  if (rows.length === 0) return null;
  const length = Math.max(...rows.map((r) => r.setting.length));
  const at = rows.filter((r) => r.setting.length === length);
  const ar = at.find((r) => r.setting.model === 'autoregressive');
  const diffusion = at.filter((r) => r.setting.model === 'diffusion' && !isAdaptive(r.setting));
  if (!ar || diffusion.length === 0) return null;
  const diffusionMs = diffusion.reduce((s, r) => s + r.msPerCall, 0) / diffusion.length;
  const fewest = diffusion.reduce((a, b) => (a.calls.mean <= b.calls.mean ? a : b));
  return { length, ar, diffusionMs, fewest };
}

/**
 * The article's arithmetic (L = 500: 500 passes of 5 ms against 25 of 20 ms, 5× faster) as a
 * calculator, with the per-call times this machine measured beside it.
 */
export function ArticleSpeedCalculator({ rows }: { rows: readonly SpeedRow[] }) {
  const [example, setExample] = useState<SpeedExample>(ARTICLE_EXAMPLE);
  const c = compareSpeed(example);
  const measured = measuredPerCall(rows);
  const valid =
    FIELDS.every((f) => Number.isFinite(example[f.key]) && example[f.key] >= f.min) &&
    c.diffusionSeconds > 0;
  return (
    <div className="labs-calculator" data-testid="speed-calculator">
      <p className="small">
        The article’s example: writing L = 500 tokens takes an autoregressive model 500 sequential
        passes of 5 ms (2.5 s) and a diffusion model 25 passes of 20 ms, each pass dearer because it
        runs every position with bidirectional attention (0.5 s): 5× faster, and the gap grows with
        L.
      </p>
      <div className="row">
        {FIELDS.map((f) => (
          <NumberField
            key={f.key}
            label={f.label}
            value={example[f.key]}
            min={f.min}
            step={f.key === 'length' || f.key === 'steps' ? 1 : 'any'}
            onChange={(v) => v !== null && setExample({ ...example, [f.key]: v })}
          />
        ))}
        <button type="button" onClick={() => setExample(ARTICLE_EXAMPLE)}>
          The article’s numbers
        </button>
        {measured && (
          <button
            type="button"
            onClick={() =>
              setExample({
                ...example,
                arMsPerPass: +measured.ar.msPerCall.toPrecision(3),
                diffusionMsPerPass: +measured.diffusionMs.toPrecision(3),
              })
            }
          >
            Our ms per pass (L = {measured.length})
          </button>
        )}
      </div>
      {valid ? (
        <p data-testid="calculator-result">
          Autoregressive: {c.arPasses} passes × {formatNumber(example.arMsPerPass)} ms ={' '}
          <strong>{formatNumber(c.arSeconds)} s</strong>. Diffusion: {c.diffusionPasses} passes ×{' '}
          {formatNumber(example.diffusionMsPerPass)} ms ={' '}
          <strong>{formatNumber(c.diffusionSeconds)} s</strong>.{' '}
          <strong data-testid="calculator-speedup">{formatNumber(c.speedup)}×</strong>{' '}
          {c.speedup >= 1 ? 'faster' : 'as fast (slower)'}.
        </p>
      ) : (
        <p role="alert" className="error-panel small">
          Every field needs a number ≥ its minimum (L and S ≥ 1, times ≥ 0, some diffusion time).
        </p>
      )}
      {measured && (
        <p className="small" data-testid="calculator-measured">
          Measured here at L = {measured.length}: the twin made{' '}
          {formatNumber(measured.ar.calls.mean)} calls of {formatNumber(measured.ar.msPerCall)} ms (
          {formatNumber(measured.ar.ms.mean)} ms per window); the diffusion model’s calls took{' '}
          {formatNumber(measured.diffusionMs)} ms on average, and at S ={' '}
          {formatNumber(measured.fewest.calls.mean)} it wrote the window in{' '}
          {formatNumber(measured.fewest.ms.mean)} ms (
          {formatNumber(measured.ar.ms.mean / measured.fewest.ms.mean)}× the twin’s speed). Our twin
          has no key–value cache, so each of its passes recomputes the whole window just as a
          diffusion pass does: per pass the two cost the same here, unlike the article’s 5 ms
          against 20 ms.
        </p>
      )}
    </div>
  );
}

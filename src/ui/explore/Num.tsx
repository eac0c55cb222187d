import { formatNumber } from './format';

/** A number as text (formatNumber), with 1.2e-9 shown as 1.2 × 10⁻⁹. */
export function Num({ value, digits = 3 }: { value: number; digits?: number }) {
  const s = formatNumber(value, digits);
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(s);
  if (!m) return <>{s}</>;
  return (
    <>
      {m[1]} × 10<sup>{m[2].replace('-', '−')}</sup>
    </>
  );
}

/** base^exponent in HTML: the substituted numbers beside a KaTeX formula change on every frame
 * of a drag, and plain text is far cheaper to update than typesetting it again. */
export function Pow({ base, exponent }: { base: number; exponent: number }) {
  return (
    <>
      <Num value={base} />
      <sup>{exponent}</sup>
    </>
  );
}

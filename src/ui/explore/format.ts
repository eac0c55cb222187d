/**
 * Numbers as the explorer prints them: three significant digits (the article's 0.0441, 0.367,
 * 1.2), trailing zeros dropped, and scientific notation for the tiny probabilities of long
 * configurations.
 */
export function formatNumber(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return Number.isNaN(x) ? '—' : x > 0 ? '∞' : '−∞';
  if (x === 0) return '0';
  const abs = Math.abs(x);
  if (abs < 1e-4 || abs >= 1e6) {
    const [mantissa, exponent] = x.toExponential(digits - 1).split('e');
    return `${Number(mantissa)}e${Number(exponent)}`;
  }
  return String(Number(x.toPrecision(digits)));
}

/** The same number for KaTeX: 1.23e-9 becomes 1.23 × 10⁻⁹. */
export function texNumber(x: number, digits = 3): string {
  const s = formatNumber(x, digits);
  const m = /^(-?[\d.]+)e(-?\d+)$/.exec(s);
  if (m) return `${m[1]}\\times 10^{${m[2]}}`;
  return s.replace('∞', '\\infty').replace('—', '\\text{—}');
}

import type { FloatArray } from './parameterLayout';

/**
 * LayerNorm over the last dimension, y = (x − mean)·rstd·gamma + beta with the biased variance
 * and rstd = 1/√(var + eps), as config.ts specifies. The normalised input xhat and rstd are kept
 * for the backward pass. Mean and variance are accumulated in float64 and the variance is taken
 * around the mean (two passes), not as E[x²] − mean², which cancels badly when |mean| ≫ std.
 */
export function layerNormForward<T extends FloatArray>(
  x: T,
  gamma: T,
  beta: T,
  eps: number,
  rows: number,
  dim: number,
  out: T,
  xhat: T,
  rstd: T,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let sum = 0;
    for (let c = 0; c < dim; c++) sum += x[o + c];
    const mean = sum / dim;
    let sq = 0;
    for (let c = 0; c < dim; c++) {
      const dev = x[o + c] - mean;
      sq += dev * dev;
    }
    const inv = 1 / Math.sqrt(sq / dim + eps);
    rstd[r] = inv;
    for (let c = 0; c < dim; c++) {
      const n = (x[o + c] - mean) * inv;
      xhat[o + c] = n;
      out[o + c] = n * gamma[c] + beta[c];
    }
  }
}

/**
 * Backward of layerNormForward. Given dy = ∂loss/∂y, accumulates ∂loss/∂gamma, ∂loss/∂beta and
 * adds ∂loss/∂x into dx (the residual stream's gradient, which already holds the skip path):
 *   g = dy·gamma,  dx = rstd · (g − mean(g) − xhat · mean(g·xhat)).
 */
export function layerNormBackward<T extends FloatArray>(
  dy: T,
  xhat: T,
  rstd: T,
  gamma: T,
  rows: number,
  dim: number,
  dGamma: T,
  dBeta: T,
  dx: T,
): void {
  for (let r = 0; r < rows; r++) {
    const o = r * dim;
    let sumG = 0;
    let sumGx = 0;
    for (let c = 0; c < dim; c++) {
      const d = dy[o + c];
      const n = xhat[o + c];
      const g = d * gamma[c];
      dGamma[c] += d * n;
      dBeta[c] += d;
      sumG += g;
      sumGx += g * n;
    }
    const meanG = sumG / dim;
    const meanGx = sumGx / dim;
    const inv = rstd[r];
    for (let c = 0; c < dim; c++) {
      const n = xhat[o + c];
      dx[o + c] += inv * (dy[o + c] * gamma[c] - meanG - n * meanGx);
    }
  }
}

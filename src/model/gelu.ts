import type { FloatArray } from './parameterLayout';
import { simdKernels } from './wasm/simdKernels';

/**
 * GELU, tanh form: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). One formula for the reference,
 * the ONNX graph and the WGSL kernels (WGSL has no erf).
 */
export const GELU_SQRT_2_OVER_PI = 0.7978845608028654;
export const GELU_CUBIC = 0.044715;

export function gelu(x: number): number {
  const u = GELU_SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
  return 0.5 * x * (1 + Math.tanh(u));
}

/** d gelu / dx. */
export function geluGrad(x: number): number {
  const u = GELU_SQRT_2_OVER_PI * (x + GELU_CUBIC * x * x * x);
  const th = Math.tanh(u);
  const du = GELU_SQRT_2_OVER_PI * (1 + 3 * GELU_CUBIC * x * x);
  return 0.5 * (1 + th) + 0.5 * x * (1 - th * th) * du;
}

/** out[j] = gelu(x[j]) for j < n: the SIMD kernel for float32 where it runs. */
export function geluInto<T extends FloatArray>(out: T, x: T, n: number): void {
  const simd = out instanceof Float32Array ? simdKernels() : null;
  if (simd) return simd.gelu(out as Float32Array, x as Float32Array, n);
  for (let j = 0; j < n; j++) out[j] = gelu(x[j]);
}

/** d[j] ·= gelu'(pre[j]) for j < n: the backward of geluInto. */
export function scaleByGeluGrad<T extends FloatArray>(d: T, pre: T, n: number): void {
  const simd = d instanceof Float32Array ? simdKernels() : null;
  if (simd) return simd.geluBackward(d as Float32Array, pre as Float32Array, n);
  for (let j = 0; j < n; j++) d[j] *= geluGrad(pre[j]);
}

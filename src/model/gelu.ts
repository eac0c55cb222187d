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

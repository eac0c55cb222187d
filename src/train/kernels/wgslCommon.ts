import { GELU_CUBIC, GELU_SQRT_2_OVER_PI } from '../../model/gelu';

/** Workgroup size of the one-invocation-per-item kernels. */
export const ITEM_WORKGROUP = 64;

/**
 * The flat item index of an invocation dispatched with grid1d (gpuDispatch.ts): workgroups are
 * spread over x and y, items run along x inside a workgroup.
 */
export const FLAT_INDEX_WGSL = /* wgsl */ `
fn flatIndex(wid: vec3u, nwg: vec3u, lid: u32) -> u32 {
  return (wid.y * nwg.x + wid.x) * ${ITEM_WORKGROUP}u + lid;
}
`;

/**
 * tanh from one exp of a non-positive argument, so it cannot overflow (some drivers' builtin
 * tanh returns NaN for large |x|), and the tanh-form GELU and its derivative of gelu.ts.
 */
export const GELU_WGSL = /* wgsl */ `
fn stableTanh(x: f32) -> f32 {
  let e = exp(-2.0 * abs(x));
  return sign(x) * (1.0 - e) / (1.0 + e);
}
fn gelu(x: f32) -> f32 {
  let u = ${GELU_SQRT_2_OVER_PI} * (x + ${GELU_CUBIC} * x * x * x);
  return 0.5 * x * (1.0 + stableTanh(u));
}
fn geluGrad(x: f32) -> f32 {
  let u = ${GELU_SQRT_2_OVER_PI} * (x + ${GELU_CUBIC} * x * x * x);
  let th = stableTanh(u);
  let du = ${GELU_SQRT_2_OVER_PI} * (1.0 + 3.0 * ${GELU_CUBIC} * x * x);
  return 0.5 * (1.0 + th) + 0.5 * x * (1.0 - th * th) * du;
}
`;

/**
 * NaN and ±Inf by their bits: compilers may fold float comparisons on the assumption that
 * no NaN occurs, a bit test they cannot.
 */
export const FINITE_WGSL = /* wgsl */ `
fn isFiniteF32(x: f32) -> bool {
  return (bitcast<u32>(x) & 0x7f800000u) != 0x7f800000u;
}
`;

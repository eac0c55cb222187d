/**
 * The serializable part of the configuration lives in the URL hash (`#model=…&ep=wasm&steps=16`),
 * so a link reproduces what a person saw. Unknown keys are kept so newer links survive older code.
 */
export type HashParams = Record<string, string>;

export function readHash(hash = globalThis.location?.hash ?? ''): HashParams {
  const out: HashParams = {};
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [k, v] of params) out[k] = v;
  return out;
}

export function writeHash(update: HashParams): void {
  if (typeof location === 'undefined') return;
  const merged = { ...readHash(), ...update };
  const text = new URLSearchParams(merged).toString();
  if (`#${text}` !== location.hash) history.replaceState(null, '', `#${text}`);
}

export function intParam(
  params: HashParams,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = Number(params[key]);
  return Number.isInteger(v) && v >= min && v <= max ? v : fallback;
}

export function numberParam(
  params: HashParams,
  key: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const v = Number(params[key]);
  return params[key] !== undefined && Number.isFinite(v) && v >= min && v <= max ? v : fallback;
}

/**
 * Comma-separated list options (`--batches 1,8`, `--providers wasm,webgpu`): the shared CLI
 * parser has scalar types only, so lists are strings checked here, with a one-line reason.
 */

export function parseIntegerList(flag: string, raw: string, min: number, max: number): number[] {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.some((p) => p === '')) {
    throw new Error(`${flag} must be a comma-separated list of integers, got '${raw}'`);
  }
  const values = parts.map((p) => {
    const v = /^\d+$/.test(p) ? Number(p) : NaN;
    if (!Number.isSafeInteger(v) || v < min || v > max) {
      throw new Error(`${flag}: each value must be an integer in ${min}..${max}, got '${p}'`);
    }
    return v;
  });
  if (new Set(values).size !== values.length) throw new Error(`${flag} repeats a value: '${raw}'`);
  return values;
}

export function parseChoiceList<T extends string>(
  flag: string,
  raw: string,
  choices: readonly T[],
): T[] {
  const parts = raw.split(',').map((p) => p.trim());
  for (const p of parts) {
    if (!(choices as readonly string[]).includes(p)) {
      throw new Error(`${flag}: each value must be one of ${choices.join(', ')}, got '${p}'`);
    }
  }
  if (new Set(parts).size !== parts.length) throw new Error(`${flag} repeats a value: '${raw}'`);
  return parts as T[];
}

/**
 * The shared golden traces for tests: shared/golden beside the checkout (/work/shared next to
 * /work/main, and ../shared beside the clone in CI), and its newer-samplers/ folder (LLaDA2.0,
 * LLaDA2.1, EB-Sampler, DUS). Read from there, never copied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GOLDEN_DIR = fileURLToPath(new URL('../../../../shared/golden', import.meta.url));
export const NEWER_GOLDEN_DIR = `${GOLDEN_DIR}/newer-samplers`;

export function loadGoldens(): { name: string; json: unknown }[] {
  return [GOLDEN_DIR, NEWER_GOLDEN_DIR].flatMap((dir) =>
    readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()
      .map((name) => ({ name, json: JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) })),
  );
}

/**
 * The shared golden traces for tests: shared/golden beside the checkout (/work/shared next to
 * /work/main, and ../shared beside the clone in CI). Read from there, never copied.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const GOLDEN_DIR = fileURLToPath(new URL('../../../../shared/golden', import.meta.url));

export function loadGoldens(): { name: string; json: unknown }[] {
  const names = readdirSync(GOLDEN_DIR)
    .filter((n) => n.endsWith('.json'))
    .sort();
  return names.map((name) => ({
    name,
    json: JSON.parse(readFileSync(`${GOLDEN_DIR}/${name}`, 'utf8')),
  }));
}

import { flagName, type CommandSpec, type OptionSpec } from '../scripts/cli/args';

/** A bench name and the options written after it. */
export interface BenchGroup {
  name: string;
  argv: string[];
}

export type SplitResult =
  { kind: 'groups'; groups: BenchGroup[] } | { kind: 'help' } | { kind: 'error'; message: string };

/** Flags of a command that consume the next word as their value. */
function valueFlags(command: CommandSpec<Record<string, OptionSpec>>): Set<string> {
  return new Set(
    Object.entries(command.options)
      .filter(([, spec]) => spec.type !== 'boolean')
      .map(([key]) => flagName(key)),
  );
}

/**
 * Splits `NAME [options] NAME [options] …` into one group per bench: the options after a name
 * belong to it (`quality --samples 100 generate --calls 50`). A word that is the value of the
 * previous flag is never read as a bench name (`--model generate`). Each bench parses its own
 * group, so an option it does not know is refused with its name.
 */
export function splitBenchArgs(
  argv: readonly string[],
  benches: ReadonlyMap<string, CommandSpec<Record<string, OptionSpec>>>,
): SplitResult {
  const groups: BenchGroup[] = [];
  let current: BenchGroup | null = null;
  let takesValue = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!current) {
      if (arg === '-h' || arg === '--help') return { kind: 'help' };
      if (arg.startsWith('-')) {
        return { kind: 'error', message: `options come after a bench name (got ${arg} first)` };
      }
    }
    const command = benches.get(arg);
    if (command) {
      if (groups.some((g) => g.name === arg)) {
        return { kind: 'error', message: `bench '${arg}' is named twice` };
      }
      current = { name: arg, argv: [] };
      groups.push(current);
      takesValue = valueFlags(command);
      continue;
    }
    if (!current) {
      return {
        kind: 'error',
        message: `unknown bench '${arg}' (known: ${[...benches.keys()].join(', ')})`,
      };
    }
    current.argv.push(arg);
    if (takesValue.has(arg) && i + 1 < argv.length) current.argv.push(argv[++i]);
  }
  return { kind: 'groups', groups };
}

/**
 * A small typed command-line parser shared by the project's CLIs (corpus, train, golden,
 * bench). Options are declared once, with their type, default and description; the parser
 * returns typed values, and a bad command line is refused with a one-line reason so that
 * scripts and CI see a clear failure (exit code 2), never a half-run.
 *
 * Syntax: `--key value` or `--key=value`; boolean options are bare flags (`--verbose`).
 * camelCase keys are written kebab-case on the command line (`seqLen` is `--seq-len`).
 * `--` ends the options; everything after it is positional. `-h` / `--help` prints usage.
 */

export type OptionSpec =
  | {
      type: 'string';
      description: string;
      default?: string;
      required?: boolean;
      choices?: readonly string[];
    }
  | {
      type: 'integer' | 'number';
      description: string;
      default?: number;
      required?: boolean;
      min?: number;
      max?: number;
    }
  | { type: 'boolean'; description: string };

export interface CommandSpec<O extends Record<string, OptionSpec>> {
  /** The command's name, as in `npm run <name>`; starts every error line. */
  name: string;
  summary: string;
  options: O;
  /** Positional arguments, when the command takes any (e.g. files); refused otherwise. */
  positionals?: { name: string; description: string; min?: number; max?: number };
}

type ValueOf<S extends OptionSpec> = S extends { type: 'string' }
  ? string
  : S extends { type: 'boolean' }
    ? boolean
    : number;

/** Booleans are always set; others are set when they have a default or are required. */
export type ParsedOptions<O extends Record<string, OptionSpec>> = {
  [K in keyof O]: O[K] extends { type: 'boolean' }
    ? boolean
    : O[K] extends { default: string | number } | { required: true }
      ? ValueOf<O[K]>
      : ValueOf<O[K]> | undefined;
};

export type ParseResult<O extends Record<string, OptionSpec>> =
  | { kind: 'ok'; options: ParsedOptions<O>; positionals: string[] }
  | { kind: 'help'; text: string }
  | { kind: 'error'; message: string };

export function flagName(key: string): string {
  return '--' + key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
}

class UsageError extends Error {}

function convert(flag: string, spec: OptionSpec, raw: string): string | number {
  if (spec.type === 'string') {
    // An empty value is never what was meant (`--id ""` would write into --out itself).
    if (raw.trim() === '') throw new UsageError(`${flag} must not be empty`);
    if (spec.choices && !spec.choices.includes(raw)) {
      throw new UsageError(`${flag} must be one of: ${spec.choices.join(', ')} (got '${raw}')`);
    }
    return raw;
  }
  if (spec.type === 'boolean') throw new UsageError(`${flag} is a flag and takes no value`);
  let value: number;
  if (spec.type === 'integer') {
    value = /^[+-]?\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(value))
      throw new UsageError(`${flag} must be an integer, got '${raw}'`);
  } else {
    value = raw.trim() === '' ? NaN : Number(raw);
    if (!Number.isFinite(value)) throw new UsageError(`${flag} must be a number, got '${raw}'`);
  }
  if (spec.min !== undefined && value < spec.min) {
    throw new UsageError(`${flag} must be at least ${spec.min}, got ${raw}`);
  }
  if (spec.max !== undefined && value > spec.max) {
    throw new UsageError(`${flag} must be at most ${spec.max}, got ${raw}`);
  }
  return value;
}

export function parseArgs<const O extends Record<string, OptionSpec>>(
  argv: readonly string[],
  command: CommandSpec<O>,
): ParseResult<O> {
  const byFlag = new Map(Object.keys(command.options).map((key) => [flagName(key), key]));
  const values: Record<string, string | number | boolean> = {};
  const positionals: string[] = [];
  // Help wins over everything else on the line, so a half-typed command can still ask for it.
  const beforeSeparator = argv.includes('--') ? argv.slice(0, argv.indexOf('--')) : argv;
  if (beforeSeparator.some((a) => a === '-h' || a === '--help')) {
    return { kind: 'help', text: usage(command) };
  }
  try {
    let onlyPositionals = false;
    for (let i = 0; i < argv.length; i++) {
      const arg = argv[i];
      if (onlyPositionals || !arg.startsWith('-') || arg === '-') {
        positionals.push(arg);
        continue;
      }
      if (arg === '--') {
        onlyPositionals = true;
        continue;
      }
      const eq = arg.indexOf('=');
      const flag = eq >= 0 ? arg.slice(0, eq) : arg;
      const key = byFlag.get(flag);
      if (key === undefined) throw new UsageError(`unknown option ${flag}`);
      if (key in values) throw new UsageError(`${flag} is given more than once`);
      const spec = command.options[key];
      if (spec.type === 'boolean') {
        if (eq >= 0) throw new UsageError(`${flag} is a flag and takes no value`);
        values[key] = true;
        continue;
      }
      let raw: string;
      if (eq >= 0) {
        raw = arg.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        // A following option is not a value ("--n --seed 1"), but "-5" is (then refused by min).
        if (next === undefined || next.startsWith('--'))
          throw new UsageError(`${flag} needs a value`);
        raw = next;
        i++;
      }
      values[key] = convert(flag, spec, raw);
    }
    for (const [key, spec] of Object.entries(command.options)) {
      if (key in values) continue;
      if (spec.type === 'boolean') values[key] = false;
      else if (spec.default !== undefined) values[key] = spec.default;
      else if (spec.required) throw new UsageError(`missing required option ${flagName(key)}`);
    }
    const pos = command.positionals;
    if (!pos && positionals.length > 0) {
      throw new UsageError(`unexpected argument '${positionals[0]}'`);
    }
    if (pos && positionals.length < (pos.min ?? 0)) {
      throw new UsageError(`needs at least ${pos.min} ${pos.name} argument(s)`);
    }
    if (pos?.max !== undefined && positionals.length > pos.max) {
      throw new UsageError(`takes at most ${pos.max} ${pos.name} argument(s)`);
    }
  } catch (e) {
    if (e instanceof UsageError) return { kind: 'error', message: e.message };
    throw e;
  }
  return { kind: 'ok', options: values as ParsedOptions<O>, positionals };
}

export function usage<O extends Record<string, OptionSpec>>(command: CommandSpec<O>): string {
  const pos = command.positionals ? ` [${command.positionals.name}…]` : '';
  const rows: [string, string][] = Object.entries(command.options).map(([key, spec]) => {
    const left = spec.type === 'boolean' ? flagName(key) : `${flagName(key)} <${spec.type}>`;
    const notes: string[] = [];
    if (spec.type === 'string' && spec.choices) notes.push(`one of: ${spec.choices.join(', ')}`);
    if (spec.type !== 'boolean' && spec.default !== undefined)
      notes.push(`default ${spec.default}`);
    if (spec.type !== 'boolean' && spec.required) notes.push('required');
    return [left, spec.description + (notes.length ? ` (${notes.join('; ')})` : '')];
  });
  if (command.positionals)
    rows.unshift([command.positionals.name, command.positionals.description]);
  rows.push(['-h, --help', 'show this help']);
  const width = Math.max(...rows.map(([l]) => l.length));
  return [
    `usage: ${command.name} [options]${pos}`,
    command.summary,
    '',
    ...rows.map(([l, r]) => `  ${l.padEnd(width)}  ${r}`),
  ].join('\n');
}

/** Where a CLI writes; tests pass fakes, scripts pass `processIo`. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

/**
 * Parses, or handles the two ways a CLI ends before doing anything: --help (usage on stdout,
 * exit code 0) and a bad command line (one line on stderr, exit code 2). Returns either the
 * parsed arguments or that exit code.
 */
export function resolveArgs<const O extends Record<string, OptionSpec>>(
  argv: readonly string[],
  command: CommandSpec<O>,
  io: CliIo,
): { options: ParsedOptions<O>; positionals: string[] } | number {
  const result = parseArgs(argv, command);
  if (result.kind === 'help') {
    io.stdout(result.text + '\n');
    return 0;
  }
  if (result.kind === 'error') {
    io.stderr(`${command.name}: ${result.message} (see --help)\n`);
    return 2;
  }
  return { options: result.options, positionals: result.positionals };
}

/**
 * argv with `flag` set to `value`: every earlier `flag VALUE` or `flag=VALUE` removed (an option
 * may be given only once), then `flag value` appended. For re-running a command with one
 * option changed.
 */
export function withOption(argv: readonly string[], flag: string, value: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === flag) {
      i++;
      continue;
    }
    if (argv[i].startsWith(`${flag}=`)) continue;
    out.push(argv[i]);
  }
  return [...out, flag, value];
}

import { describe, expect, it } from 'vitest';
import { flagName, parseArgs, resolveArgs, usage, withOption, type CliIo } from './args';

const command = {
  name: 'demo',
  summary: 'A demo command.',
  options: {
    name: { type: 'string', description: 'which one', choices: ['a', 'b'], default: 'a' },
    n: { type: 'integer', description: 'how many', min: 0, default: 10 },
    rate: { type: 'number', description: 'a rate', min: 0, max: 1 },
    seqLen: { type: 'integer', description: 'window', required: true },
    verbose: { type: 'boolean', description: 'talk more' },
  },
} as const;

function ok(argv: string[]) {
  const result = parseArgs(argv, command);
  if (result.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(result)}`);
  return result;
}

function error(argv: string[]): string {
  const result = parseArgs(argv, command);
  if (result.kind !== 'error') throw new Error(`expected an error, got ${JSON.stringify(result)}`);
  return result.message;
}

describe('parseArgs', () => {
  it('fills defaults and types the values', () => {
    const { options, positionals } = ok(['--seq-len', '16']);
    // These assignments are also compile-time checks of the inferred types.
    const name: string = options.name;
    const n: number = options.n;
    const rate: number | undefined = options.rate;
    const seqLen: number = options.seqLen;
    const verbose: boolean = options.verbose;
    expect({ name, n, rate, seqLen, verbose }).toEqual({
      name: 'a',
      n: 10,
      rate: undefined,
      seqLen: 16,
      verbose: false,
    });
    expect(positionals).toEqual([]);
  });

  it('reads --key value, --key=value and flags', () => {
    const { options } = ok(['--n=3', '--name', 'b', '--rate', '0.25', '--verbose', '--seq-len=8']);
    expect(options).toEqual({ name: 'b', n: 3, rate: 0.25, seqLen: 8, verbose: true });
    expect(ok(['--seq-len', '8', '--n', '+7']).options.n).toBe(7);
  });

  it('writes camelCase keys kebab-case', () => {
    expect(flagName('seqLen')).toBe('--seq-len');
    expect(flagName('n')).toBe('--n');
    expect(error(['--seqLen', '8'])).toBe('unknown option --seqLen');
  });

  it('refuses bad values with a one-line reason', () => {
    const base = ['--seq-len', '8'];
    expect(error([...base, '--n', '1.5'])).toBe("--n must be an integer, got '1.5'");
    expect(error([...base, '--n', 'ten'])).toBe("--n must be an integer, got 'ten'");
    expect(error([...base, '--n', ''])).toBe("--n must be an integer, got ''");
    // An empty string option is refused too (`--id ""` would have meant the --out folder).
    expect(error([...base, '--name', ''])).toBe('--name must not be empty');
    expect(error([...base, '--name=  '])).toBe('--name must not be empty');
    expect(error([...base, '--n', '99999999999999999999'])).toMatch(/must be an integer/);
    expect(error([...base, '--n', '-1'])).toBe('--n must be at least 0, got -1');
    expect(error([...base, '--rate', '1.5'])).toBe('--rate must be at most 1, got 1.5');
    expect(error([...base, '--rate', 'fast'])).toBe("--rate must be a number, got 'fast'");
    expect(error([...base, '--name', 'c'])).toBe("--name must be one of: a, b (got 'c')");
  });

  it('refuses unknown options, missing values, repeats and stray arguments', () => {
    const base = ['--seq-len', '8'];
    expect(error([...base, '--wat', '1'])).toBe('unknown option --wat');
    expect(error([...base, '-n', '1'])).toBe('unknown option -n');
    expect(error([...base, '--n'])).toBe('--n needs a value');
    expect(error(['--n', '--seq-len', '8'])).toBe('--n needs a value');
    expect(error([...base, '--n', '1', '--n', '2'])).toBe('--n is given more than once');
    expect(error([...base, '--verbose=yes'])).toBe('--verbose is a flag and takes no value');
    expect(error([...base, 'extra'])).toBe("unexpected argument 'extra'");
    expect(error([])).toBe('missing required option --seq-len');
  });

  it('collects positionals when the command takes them, and stops at --', () => {
    const files = {
      ...command,
      positionals: { name: 'FILE', description: 'files to read', min: 1, max: 3 },
    };
    const result = parseArgs(['a.json', '--seq-len', '8', '--', '--n', 'b.json'], files);
    expect(result).toEqual({
      kind: 'ok',
      options: { name: 'a', n: 10, rate: undefined, seqLen: 8, verbose: false },
      positionals: ['a.json', '--n', 'b.json'],
    });
    expect(parseArgs(['--seq-len', '8'], files)).toEqual({
      kind: 'error',
      message: 'needs at least 1 FILE argument(s)',
    });
    expect(parseArgs(['--seq-len', '8', 'a', 'b', 'c', 'd'], files)).toEqual({
      kind: 'error',
      message: 'takes at most 3 FILE argument(s)',
    });
  });

  it('answers --help with usage, before checking anything else', () => {
    for (const argv of [['--help'], ['-h'], ['--wat', '-h'], ['--n', 'x', '--help']]) {
      expect(parseArgs(argv, command).kind).toBe('help');
    }
    // After --, "--help" is just a positional (and this command takes none).
    expect(error(['--seq-len', '8', '--', '--help'])).toBe("unexpected argument '--help'");
    const text = usage(command);
    expect(text.split('\n')[0]).toBe('usage: demo [options]');
    expect(text).toContain('--name <string>');
    expect(text).toContain('which one (one of: a, b; default a)');
    expect(text).toContain('--seq-len <integer>');
    expect(text).toContain('window (required)');
    expect(text).toContain('--verbose ');
    expect(text).toContain('-h, --help');
  });
});

describe('resolveArgs', () => {
  const capture = () => {
    const out = { stdout: '', stderr: '' };
    const io: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) };
    return { out, io };
  };

  it('turns a bad command line into one stderr line and exit code 2', () => {
    const { out, io } = capture();
    expect(resolveArgs(['--seq-len', 'x'], command, io)).toBe(2);
    expect(out.stderr).toBe("demo: --seq-len must be an integer, got 'x' (see --help)\n");
    expect(out.stdout).toBe('');
  });

  it('prints help to stdout with exit code 0', () => {
    const { out, io } = capture();
    expect(resolveArgs(['--help'], command, io)).toBe(0);
    expect(out.stdout).toBe(usage(command) + '\n');
    expect(out.stderr).toBe('');
  });

  it('passes parsed arguments through', () => {
    const { io } = capture();
    const args = resolveArgs(['--seq-len', '4'], command, io);
    expect(typeof args === 'number' ? args : args.options.seqLen).toBe(4);
  });
});

describe('withOption', () => {
  it('replaces an option given as two words or with =, and keeps everything else in order', () => {
    expect(withOption(['--batch', '4', '--parts', 'a,b', '--seed', '1'], '--parts', 'b')).toEqual([
      '--batch',
      '4',
      '--seed',
      '1',
      '--parts',
      'b',
    ]);
    expect(withOption(['--parts=a', '--x'], '--parts', 'c')).toEqual(['--x', '--parts', 'c']);
    expect(withOption([], '--parts', 'c')).toEqual(['--parts', 'c']);
  });
});

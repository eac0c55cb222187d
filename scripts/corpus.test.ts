import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { getCorpus } from '../src/core/corpus';
import { Rng } from '../src/core/rng';
import type { CliIo } from './cli/args';
import { runCorpusCli } from './corpus';

function run(argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const io: CliIo = { stdout: (t) => (out.stdout += t), stderr: (t) => (out.stderr += t) };
  const code = runCorpusCli(argv, io);
  return { code, ...out };
}

describe('corpus CLI', () => {
  it('prints n seeded sentences of the corpus, one per line', () => {
    const { code, stdout, stderr } = run(['--name', 'toy-sentences', '--n', '5', '--seed', '1']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const lines = stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    const corpus = getCorpus('toy-sentences');
    const rng = new Rng(1);
    lines.forEach((line) => {
      expect(line).toBe(corpus.sample(rng).join(' '));
      expect(corpus.isValid(line.split(' '))).toBe(true);
    });
    expect(run(['--n', '5', '--seed', '1']).stdout).toBe(stdout);
    expect(run(['--n', '5', '--seed', '2']).stdout).not.toBe(stdout);
    expect(run(['--n', '0'])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('refuses bad command lines with one line on stderr and exit code 2', () => {
    const cases: [string[], string][] = [
      [['--n', '1.5'], "--n must be an integer, got '1.5'"],
      [['--n', '-1'], '--n must be at least 0, got -1'],
      [['--n'], '--n needs a value'],
      [['--name', 'nope'], "--name must be one of: toy-sentences, couplets (got 'nope')"],
      [['--seed', 'abc'], "--seed must be an integer, got 'abc'"],
      [['--count', '3'], 'unknown option --count'],
      [['five'], "unexpected argument 'five'"],
    ];
    for (const [argv, reason] of cases) {
      const { code, stdout, stderr } = run(argv);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toBe(`corpus: ${reason} (see --help)\n`);
    }
  });

  it('runs as a script with the right exit codes', () => {
    const script = (args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'scripts/corpus.ts', ...args], {
        encoding: 'utf8',
      });
    const good = script(['--n', '3', '--seed', '4']);
    expect(good.status).toBe(0);
    expect(good.stdout).toBe(run(['--n', '3', '--seed', '4']).stdout);
    const bad = script(['--name', 'nope']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
  });
});

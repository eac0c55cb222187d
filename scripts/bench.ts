/**
 * `npm run --silent bench -- NAME [options] [NAME [options]…]`: runs the named benchmarks and
 * prints one JSON object per figure on stdout (Contract 3), progress on stderr. Options follow
 * the bench they belong to. With no name it runs nothing and lists the benches (exit 2): each
 * takes from seconds to minutes, so running one is always a choice.
 */
import { usage } from './cli/args';
import { processIo, type CliIo } from './cli/args';
import { isMainModule } from './cli/isMainModule';
import { splitBenchArgs } from '../bench/benchArgs';
import type { BenchDefinition, BenchIo } from '../bench/benchCommand';
import { formatBenchLine } from '../bench/benchLine';
import { PackageReadError } from '../bench/nodeModelPackage';
import { generateBench } from '../bench/generate';
import { qualityBench } from '../bench/quality';
import { reversalBench } from '../bench/reversal';
import { speedBench } from '../bench/speed';
import { trainBench } from '../bench/train';

export const BENCHES: readonly BenchDefinition[] = [
  qualityBench,
  generateBench,
  trainBench,
  speedBench,
  reversalBench,
];

function overview(): string {
  const width = Math.max(...BENCHES.map((b) => b.name.length));
  return [
    'usage: bench NAME [options] [NAME [options]…]',
    'Runs benchmarks; prints one JSON line per figure: {"bench", "metric", "value", "unit", …}.',
    'Progress goes to stderr. With no NAME nothing runs and this list is shown (exit 2).',
    '',
    'benches:',
    ...BENCHES.map((b) => `  ${b.name.padEnd(width)}  ${b.summary}`),
    '',
    ...BENCHES.flatMap((b) => [usage(b.command), '']),
  ].join('\n');
}

export async function runBenchCli(argv: readonly string[], io: CliIo): Promise<number> {
  const byName = new Map(BENCHES.map((b) => [b.name, b]));
  const split = splitBenchArgs(argv, new Map(BENCHES.map((b) => [b.name, b.command])));
  if (split.kind === 'help') {
    io.stdout(overview());
    return 0;
  }
  if (split.kind === 'error') {
    io.stderr(`bench: ${split.message} (see --help)\n`);
    return 2;
  }
  if (split.groups.length === 0) {
    io.stderr(
      `bench: name a bench to run: ${BENCHES.map((b) => b.name).join(', ')} (see --help)\n`,
    );
    return 2;
  }
  const benchIo: BenchIo = {
    emit: (record) => io.stdout(formatBenchLine(record) + '\n'),
    progress: (text) => io.stderr(text),
    stdout: io.stdout,
    stderr: io.stderr,
  };
  for (const group of split.groups) {
    let code: number;
    try {
      code = await byName.get(group.name)!.run(group.argv, benchIo);
    } catch (e) {
      // A package that cannot be read is bad input, like a bad option: one line, code 2.
      if (!(e instanceof PackageReadError)) throw e;
      io.stderr(`bench ${group.name}: ${e.message}\n`);
      return 2;
    }
    if (code !== 0) return code;
  }
  return 0;
}

if (isMainModule(import.meta.url)) {
  runBenchCli(process.argv.slice(2), processIo).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`bench: ${(e as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}

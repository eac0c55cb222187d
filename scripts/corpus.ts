/**
 * `npm run --silent corpus -- --name toy-sentences --n 5 --seed 1`: prints sentences of a toy
 * corpus, one per line, words joined by spaces (couplets: "first / second"). Seeded: the same arguments print the same
 * lines.
 */
import { corpusNames, getCorpus } from '../src/core/corpus';
import { Rng } from '../src/core/rng';
import { processIo, resolveArgs, type CliIo } from './cli/args';
import { isMainModule } from './cli/isMainModule';

const command = {
  name: 'corpus',
  summary: 'Prints sentences of a toy corpus, one per line.',
  options: {
    name: {
      type: 'string',
      description: 'corpus to sample',
      choices: corpusNames(),
      default: 'toy-sentences',
    },
    n: { type: 'integer', description: 'number of sentences', min: 0, default: 10 },
    seed: { type: 'integer', description: 'random seed', min: 0, max: 0xffffffff, default: 1 },
  },
} as const;

export function runCorpusCli(argv: readonly string[], io: CliIo): number {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const { name, n, seed } = args.options;
  const corpus = getCorpus(name);
  const rng = new Rng(seed);
  const lines: string[] = [];
  const text = corpus.text ?? ((words: readonly string[]) => words.join(' '));
  for (let i = 0; i < n; i++) lines.push(text(corpus.sample(rng)));
  if (lines.length > 0) io.stdout(lines.join('\n') + '\n');
  return 0;
}

if (isMainModule(import.meta.url))
  process.exitCode = runCorpusCli(process.argv.slice(2), processIo);

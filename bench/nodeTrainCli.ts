/**
 * The entry of the Node host's bundle (nodeTrainBundle.ts): `node train-bench.mjs [bench train
 * options]` runs `bench -- train` in this process on the adapter Dawn finds, printing the same
 * JSON lines on stdout and progress on stderr.
 */
import { formatBenchLine } from './benchLine';
import { runTrainBench } from './train';

const code = await runTrainBench(
  process.argv.slice(2),
  {
    emit: (record) => process.stdout.write(formatBenchLine(record) + '\n'),
    progress: (text) => process.stderr.write(text),
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
  },
  'in-process',
).catch((e: unknown) => {
  process.stderr.write(`bench train: ${(e as Error).stack ?? e}\n`);
  return 1;
});
process.exitCode = code;

/**
 * The entry of the Node host's bundle (nodeTrainBundle.ts), for a machine with a GPU and no
 * browser or tsx (scripts/gpu-machine):
 *   node train-bench.mjs [bench train options]     `bench -- train` in this process, on the
 *                                                  adapter Dawn finds (JSON lines on stdout);
 *   node train-bench.mjs train [train options]     `npm run train` (scripts/train.ts) itself,
 *                                                  e.g. `--trainer webgpu --gpu-adapter native`;
 *   node train-bench.mjs generate [options]        `bench -- generate --host node`: ms per
 *                                                  model call, WASM and WebGPU variants.
 */
import { runTrainCli } from '../scripts/train';
import type { BenchIo } from './benchCommand';
import { formatBenchLine } from './benchLine';
import { runGenerateBench } from './generate';
import { runTrainBench } from './train';

const write = (stream: NodeJS.WriteStream) => (text: string) => void stream.write(text);
const argv = process.argv.slice(2);
const io: BenchIo = {
  emit: (record) => process.stdout.write(formatBenchLine(record) + '\n'),
  progress: write(process.stderr),
  stdout: write(process.stdout),
  stderr: write(process.stderr),
};
const run =
  argv[0] === 'train'
    ? runTrainCli(argv.slice(1), { stdout: write(process.stdout), stderr: write(process.stderr) })
    : argv[0] === 'generate'
      ? runGenerateBench(argv.slice(1), io, 'in-process')
      : runTrainBench(argv, io, 'in-process');
process.exitCode = await run.catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  return 1;
});

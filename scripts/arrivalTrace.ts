/**
 * `npm run --silent arrival-trace -- [--model models/toy-sentences] [--check]`: computes the run
 * that the generation view plays on arrival (its default configuration, on the package's model,
 * WASM in Node) and writes it beside the model as arrival-trace.json (src/state/arrivalRun.ts).
 * `--check` writes nothing: it exits 1 when the shipped file is not what the model makes now
 * (regenerate it after retraining the model or changing the defaults).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { serializeTrace } from '../src/core/sampler';
import { OrtModel } from '../src/runtime/ortModel';
import { ARRIVAL_TRACE_FILE, computeArrivalTrace } from '../src/state/arrivalRun';
import { DEFAULT_CONFIG } from '../src/state/generationConfig';
import { readModelPackage } from '../bench/nodeModelPackage';
import { processIo, resolveArgs, type CliIo } from './cli/args';
import { isMainModule } from './cli/isMainModule';

const command = {
  name: 'arrival-trace',
  summary: "Writes (or checks) the model package's arrival trace: the default run, precomputed.",
  options: {
    model: {
      type: 'string',
      description: 'model package folder',
      default: 'models/toy-sentences',
    },
    check: { type: 'boolean', description: 'compare with the shipped file instead of writing' },
  },
} as const;

export async function runArrivalTraceCli(argv: readonly string[], io: CliIo): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const { model: dir, check } = args.options;
  let pkg: ReturnType<typeof readModelPackage>;
  try {
    pkg = readModelPackage(dir);
  } catch (e) {
    io.stderr(`arrival-trace: ${(e as Error).message}\n`);
    return 2;
  }
  ort.env.wasm.numThreads = 1;
  const model = await OrtModel.create(ort, pkg.onnx, pkg.manifest, 'wasm');
  let text: string;
  try {
    text = serializeTrace(await computeArrivalTrace(model, DEFAULT_CONFIG, pkg.manifest)) + '\n';
  } catch (e) {
    io.stderr(`arrival-trace: ${dir}: ${(e as Error).message}\n`);
    return 2;
  } finally {
    await model.release();
  }
  const file = path.join(dir, ARRIVAL_TRACE_FILE);
  if (check) {
    const same = existsSync(file) && readFileSync(file, 'utf8') === text;
    io.stdout(`${same ? 'up to date' : 'OUT OF DATE'}: ${file}\n`);
    return same ? 0 : 1;
  }
  writeFileSync(file, text);
  io.stdout(`wrote ${file}\n`);
  return 0;
}

if (isMainModule(import.meta.url)) {
  void runArrivalTraceCli(process.argv.slice(2), processIo).then((code) => {
    process.exitCode = code;
  });
}

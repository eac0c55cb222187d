/**
 * `bench -- speed` (issue 5, the speed lab headless): model calls, ms and tokens per second to
 * write L tokens, for the diffusion model at S = L, L/2, L/4, L/8 steps and with the confidence
 * threshold, and for its autoregressive twin (one call per token), with the grammatical-sample
 * rate wherever a trained model exists. Runs in Node on onnxruntime-web's WASM build, one
 * thread, like `bench -- quality`.
 *
 * Only the packages' own window length L has trained weights. Other lengths are timed on
 * packages of the same architecture at that window with random weights (src/model
 * timingPackage.ts): a call costs the same whatever the weights, but the samples are noise, so
 * those lines carry no validity and say `"trained": false`.
 */
import * as ort from 'onnxruntime-web';
import type { Denoiser } from '../src/core/denoiser';
import { Rng } from '../src/core/rng';
import { STRATEGY_NAMES, type StrategyName } from '../src/core/sampler';
import {
  settingLabel,
  speedGrid,
  type DecodingSetting,
  type DecodingStyle,
} from '../src/core/speed/decodingSettings';
import { decoderOver, measureDecoding } from '../src/core/speed/measureDecoding';
import type { ModelManifest } from '../src/model/manifest';
import { packageCorpus } from '../src/model/packageCorpus';
import { buildTimingPackage } from '../src/model/timingPackage';
import { twinPairProblems } from '../src/model/twinPair';
import { OrtModel } from '../src/runtime/ortModel';
import { resolveArgs } from '../scripts/cli/args';
import type { BenchDefinition, BenchIo } from './benchCommand';
import type { BenchContext } from './benchLine';
import { parseIntegerList } from './listOption';
import { describeNodeMachine } from './machine';
import { readModelPackage } from './nodeModelPackage';

const FIXED_STRATEGIES = STRATEGY_NAMES.filter(
  (s) => s !== 'autoregressive' && s !== 'fastdllm.threshold',
);

const command = {
  name: 'bench speed',
  summary:
    'Calls, ms and tokens/s to write L tokens: diffusion at S = L/d and threshold vs the twin.',
  options: {
    model: {
      type: 'string',
      description: 'the diffusion package',
      default: 'models/toy-sentences',
    },
    twin: {
      type: 'string',
      description: 'its autoregressive twin',
      default: 'models/toy-sentences-ar',
    },
    lengths: {
      type: 'string',
      description: 'window lengths L, comma-separated',
      default: '16,32,64',
    },
    divisors: {
      type: 'string',
      description: 'S = L / d for each d, comma-separated',
      default: '1,2,4,8',
    },
    samples: {
      type: 'integer',
      description: 'samples per setting where the model is trained (they are judged)',
      min: 1,
      default: 200,
    },
    timingSamples: {
      type: 'integer',
      description: 'samples per setting on the untrained timing packages',
      min: 1,
      default: 20,
    },
    warmup: {
      type: 'integer',
      description: 'untimed samples before each setting',
      min: 0,
      default: 2,
    },
    threshold: {
      type: 'number',
      description: 'confidence threshold of the adaptive point (fastdllm.threshold)',
      min: 0,
      max: 1,
      default: 0.9,
    },
    strategy: {
      type: 'string',
      description: 'fixed-S strategy of the diffusion model',
      choices: FIXED_STRATEGIES,
      default: 'llada.low_confidence',
    },
    temperature: { type: 'number', description: 'sampling temperature', min: 0, default: 1 },
    seed: {
      type: 'integer',
      description: 'sample i uses seed + i',
      min: 0,
      max: 0xffffffff,
      default: 1,
    },
  },
} as const;

interface Pair {
  diffusion: OrtModel;
  autoregressive: OrtModel;
  trained: boolean;
}

async function openPair(
  diffusion: { manifest: ModelManifest; onnx: Uint8Array },
  twin: { manifest: ModelManifest; onnx: Uint8Array },
  length: number,
  trained: boolean,
): Promise<Pair> {
  const pick = (p: { manifest: ModelManifest; onnx: Uint8Array }) =>
    trained ? p : buildTimingPackage(p.manifest, length);
  const d = pick(diffusion);
  const a = pick(twin);
  return {
    diffusion: await OrtModel.create(ort, d.onnx, d.manifest, 'wasm'),
    autoregressive: await OrtModel.create(ort, a.onnx, a.manifest, 'wasm'),
    trained,
  };
}

function settingFields(s: DecodingSetting): BenchContext {
  return {
    setting: settingLabel(s),
    kind: s.model,
    L: s.length,
    S: s.model === 'diffusion' && 'steps' in s ? s.steps : null,
    threshold: s.model === 'diffusion' && 'threshold' in s ? s.threshold : null,
  };
}

async function run(argv: readonly string[], io: BenchIo): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const o = args.options;
  let lengths: number[];
  let divisors: number[];
  try {
    lengths = parseIntegerList('--lengths', o.lengths, 2, 1024);
    divisors = parseIntegerList('--divisors', o.divisors, 1, 1024);
  } catch (e) {
    io.stderr(`bench speed: ${(e as Error).message} (see --help)\n`);
    return 2;
  }
  const diffusion = readModelPackage(o.model);
  const twin = readModelPackage(o.twin);
  const problems = twinPairProblems(diffusion.manifest, twin.manifest);
  if (problems.length) {
    io.stderr(
      `bench speed: ${problems.join('; ')}: the speed lab compares a model with its twin\n`,
    );
    return 2;
  }
  const corpus = packageCorpus(diffusion.manifest);
  if (!corpus) {
    io.stderr(
      `bench speed: ${o.model}'s vocabulary is no toy corpus's, so its samples cannot be judged\n`,
    );
    return 2;
  }
  const vocab = corpus.vocab;
  const trainedLength = diffusion.manifest.seqLen;
  const style: DecodingStyle = { strategy: o.strategy as StrategyName, temperature: o.temperature };
  const context: BenchContext = {
    model: diffusion.manifest.id,
    twin: twin.manifest.id,
    strategy: o.strategy,
    temperature: o.temperature,
    provider: 'wasm',
    runtime: `onnxruntime-web ${ort.env.versions.web} (Node)`,
    wasmThreads: 1,
    machine: { ...describeNodeMachine() },
  };

  ort.env.wasm.numThreads = 1;
  for (const length of lengths) {
    const trained = length === trainedLength;
    const pair = await openPair(diffusion, twin, length, trained);
    try {
      const grid = speedGrid([length], {
        divisors,
        threshold: o.threshold,
        // The threshold's calls depend on the model's confidence: meaningless on noise weights.
        adaptiveAt: trained ? [length] : [],
      });
      for (const setting of grid) {
        const model: Denoiser =
          setting.model === 'autoregressive' ? pair.autoregressive : pair.diffusion;
        const samples = trained ? o.samples : o.timingSamples;
        const started = performance.now();
        const m = await measureDecoding(decoderOver(model), setting, {
          samples,
          warmup: o.warmup,
          seed: o.seed,
          style,
          firstWord: (i) => vocab.id(corpus.sample(new Rng((o.seed + i) >>> 0))[0]),
          judge: trained ? (w) => corpus.isValidWindow(w) : undefined,
          now: () => performance.now(),
        });
        io.progress(
          `speed: ${settingLabel(setting)}: ${m.calls.mean.toFixed(1)} calls, ${m.ms.mean.toFixed(1)} ms` +
            (m.valid !== null ? `, ${m.valid}/${samples} grammatical` : '') +
            ` (${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
        );
        const common: BenchContext = {
          ...settingFields(setting),
          trained,
          tokens: m.tokens,
          n: samples,
          ...context,
        };
        io.emit({
          bench: 'speed',
          metric: 'calls',
          value: m.calls.mean,
          unit: 'model calls per sample',
          ...common,
        });
        io.emit({
          bench: 'speed',
          metric: 'ms',
          value: m.ms.mean,
          unit: 'ms per sample',
          msPerCall: m.msPerCall,
          ...common,
        });
        io.emit({
          bench: 'speed',
          metric: 'tokens_per_second',
          value: m.tokensPerSecond,
          unit: 'tokens/s',
          ...common,
        });
        if (m.valid !== null) {
          io.emit({
            bench: 'speed',
            metric: 'sample_validity',
            value: m.valid / samples,
            unit: 'fraction',
            valid: m.valid,
            ...common,
          });
        }
      }
    } finally {
      await pair.diffusion.release();
      await pair.autoregressive.release();
    }
  }
  return 0;
}

export const speedBench: BenchDefinition = {
  name: 'speed',
  summary:
    'diffusion (S = L/d, threshold) vs its autoregressive twin in Node (WASM): calls, ms, tokens/s, validity',
  command,
  run,
};

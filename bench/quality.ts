/**
 * `bench -- quality`: what a model package is worth, measured rather than assumed (issue 2,
 * item 9). Runs in Node on onnxruntime-web's WASM build, one thread:
 *   - sample_validity: the share of grammatical windows the article's sampler writes at S = L
 *     steps, by the corpus's exact oracle (bar: ≥ 0.90);
 *   - masked_accuracy, loss_elbo, loss_masked_mean: how well the model fills masked tokens of
 *     fresh corpus windows at one masking ratio t, each beside the unigram baseline;
 *   - onnx_size: the .onnx in bytes (bar: < 8 MB).
 */
import path from 'node:path';
import * as ort from 'onnxruntime-web';
import { getCorpus, unigramDistribution } from '../src/core/corpus';
import type { Corpus } from '../src/core/corpus';
import type { Denoiser } from '../src/core/denoiser';
import { measureSampleValidity } from '../src/core/evaluation/sampleValidity';
import { sampleMask } from '../src/core/forwardProcess';
import { Rng } from '../src/core/rng';
import { OrtModel } from '../src/runtime/ortModel';
import { resolveArgs } from '../scripts/cli/args';
import type { BenchDefinition, BenchIo } from './benchCommand';
import type { BenchContext } from './benchLine';
import { describeNodeMachine } from './machine';
import { MaskedTokenScorer, type MaskedTokenScores } from './maskedTokenScorer';
import { PackageReadError, readModelPackage } from './nodeModelPackage';
import { smoothedUnigram, unigramLogits } from './unigramBaseline';

export const VALIDITY_TARGET = 0.9;
export const ONNX_SIZE_LIMIT_BYTES = 8_000_000;

const command = {
  name: 'bench quality',
  summary:
    'Sample validity, masked-token accuracy and loss (beside a unigram baseline), .onnx size.',
  options: {
    model: {
      type: 'string',
      description: 'model package folder',
      default: 'models/toy-sentences',
    },
    samples: {
      type: 'integer',
      description: 'samples for the validity figure (0 skips it)',
      min: 0,
      default: 500,
    },
    steps: {
      type: 'integer',
      description: "sampler steps S (default: the window length L, the article's S = L)",
      min: 1,
    },
    sentences: {
      type: 'integer',
      description: 'fresh corpus windows for accuracy and loss (0 skips them)',
      min: 0,
      default: 2000,
    },
    t: {
      type: 'number',
      description: 'masking ratio of the accuracy and loss figures',
      min: 0.001,
      max: 1,
      default: 0.5,
    },
    'eos-last': {
      type: 'boolean',
      description:
        "rank a guess of [EOS] last when choosing what to commit (LLaDA's confidence_eos_eot_inf; the Generate view's default)",
    },
    chunk: { type: 'integer', description: 'windows per model call', min: 1, default: 100 },
    unigramWindows: {
      type: 'integer',
      description: 'windows the unigram baseline is counted on',
      min: 1,
      default: 20000,
    },
    seed: {
      type: 'integer',
      description: 'seed of the samples, the evaluation windows and their masks',
      min: 0,
      max: 0xffffffff,
      default: 271828,
    },
  },
} as const;

/** The ORT model as a Denoiser, counting calls so a long measurement can show progress. */
function countingDenoiser(model: OrtModel, onCall: (calls: number) => void): Denoiser {
  const { manifest } = model;
  let calls = 0;
  return {
    vocabSize: manifest.vocab.length,
    seqLen: manifest.seqLen,
    maskId: manifest.special.mask,
    async logits(tokens, batch, t) {
      const out = await model.run(tokens, batch, t);
      onCall(++calls);
      return out;
    },
  };
}

/** The corpus a package was trained on; its vocabulary must be the package's, id for id. */
function corpusOf(pkgDir: string, training: Record<string, unknown> | undefined, vocab: string[]) {
  const name = typeof training?.corpus === 'string' ? training.corpus : 'toy-sentences';
  let corpus: Corpus;
  try {
    corpus = getCorpus(name);
  } catch (e) {
    throw new PackageReadError(`${pkgDir}: "training.corpus": ${(e as Error).message}`);
  }
  const same =
    corpus.vocab.tokens.length === vocab.length &&
    corpus.vocab.tokens.every((w, i) => w === vocab[i]);
  if (!same) {
    throw new PackageReadError(
      `${pkgDir}: the package's vocabulary differs from corpus '${name}' (same words in the ` +
        'same order are needed), so its samples cannot be judged by that oracle',
    );
  }
  return corpus;
}

async function maskedTokenFigures(
  model: OrtModel,
  corpus: Corpus,
  o: { sentences: number; t: number; chunk: number; unigramWindows: number },
  rng: { data: Rng; masks: Rng; unigramSeed: number },
  io: BenchIo,
): Promise<{ model: MaskedTokenScores; unigram: MaskedTokenScores }> {
  const L = corpus.seqLen;
  const V = corpus.vocab.size;
  const { maskId, padId } = corpus.vocab;
  const shares = unigramDistribution(corpus, o.unigramWindows, rng.unigramSeed);
  const probs = smoothedUnigram(
    shares,
    o.unigramWindows * L,
    (id) => id !== maskId && id !== padId,
  );
  const modelScores = new MaskedTokenScorer(V, L);
  const unigramScores = new MaskedTokenScorer(V, L);
  for (let done = 0; done < o.sentences;) {
    const batch = Math.min(o.chunk, o.sentences - done);
    const x0 = corpus.sampleBatch(rng.data, batch);
    const tokens = new Int32Array(batch * L);
    const masked = new Uint8Array(batch * L);
    for (let b = 0; b < batch; b++) {
      const s = sampleMask(x0.subarray(b * L, (b + 1) * L), o.t, rng.masks, maskId);
      tokens.set(s.tokens, b * L);
      s.masked.forEach((m, i) => (masked[b * L + i] = m ? 1 : 0));
    }
    const t = new Float32Array(batch).fill(o.t);
    const logits = await model.run(tokens, batch, t);
    modelScores.add(logits, x0, masked, t, batch);
    unigramScores.add(unigramLogits(probs, batch * L), x0, masked, t, batch);
    done += batch;
    io.progress(`quality: masked tokens ${done}/${o.sentences} windows\n`);
  }
  return { model: modelScores.result(), unigram: unigramScores.result() };
}

async function run(argv: readonly string[], io: BenchIo): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const o = args.options;
  const pkg = readModelPackage(o.model);
  const { manifest } = pkg;
  if (manifest.kind !== 'masked-diffusion') {
    io.stderr(
      `bench quality: ${o.model} is ${manifest.kind}; this bench judges masked-diffusion models\n`,
    );
    return 2;
  }
  const corpus = corpusOf(o.model, manifest.training, manifest.vocab);
  ort.env.wasm.numThreads = 1;
  let model: OrtModel;
  try {
    model = await OrtModel.create(ort, pkg.onnx, manifest, 'wasm');
  } catch (e) {
    const problems = (e as { problems?: string[] }).problems ?? [(e as Error).message];
    throw new PackageReadError(`${pkg.onnxPath}: ${problems.join('; ')}`, { cause: e });
  }
  const L = manifest.seqLen;
  const steps = o.steps ?? L;
  const trainingSeed = typeof manifest.training?.seed === 'number' ? manifest.training.seed : null;
  const context: BenchContext = {
    model: manifest.id,
    modelDir: path.relative(process.cwd(), path.resolve(o.model)) || '.',
    trainingSteps: (manifest.training?.steps as number | undefined) ?? null,
    provider: 'wasm',
    runtime: `onnxruntime-web ${ort.env.versions.web} (Node)`,
    wasmThreads: 1,
    machine: { ...describeNodeMachine() },
  };

  // One root seed, split into independent streams (train.ts draws its data from seed ^ 0x5eed
  // of its own seed, a different generator).
  const root = new Rng(o.seed);
  const data = root.fork();
  const masks = root.fork();
  const unigramSeed = root.nextUint32();

  try {
    if (o.samples > 0) {
      const started = performance.now();
      const totalCalls = o.samples * steps;
      const denoiser = countingDenoiser(model, (calls) => {
        if (calls % 1000 === 0 || calls === totalCalls) {
          io.progress(`quality: sampling, model call ${calls}/${totalCalls}\n`);
        }
      });
      const eosLast = o['eos-last'] === true;
      const eosId = manifest.special.eos;
      if (eosLast && eosId === undefined) {
        io.stderr(
          `bench quality: --eos-last needs a model with an [EOS] token; ${o.model} has none\n`,
        );
        return 2;
      }
      const validity = await measureSampleValidity(denoiser, corpus, {
        samples: o.samples,
        steps,
        seed: o.seed,
        ...(eosLast ? { sampler: { eosId, confidenceEosEotInf: true } } : {}),
      });
      io.emit({
        bench: 'quality',
        metric: 'sample_validity',
        value: validity.fraction,
        unit: 'fraction',
        target: `>= ${VALIDITY_TARGET}`,
        met: validity.fraction >= VALIDITY_TARGET,
        valid: validity.valid,
        n: validity.samples,
        sampler: `article, S = ${steps}, L = ${L}, temperature 1, seeds ${o.seed}..${o.seed + o.samples - 1}${eosLast ? ', [EOS] ranked last' : ''}`,
        eosLast,
        examples: validity.examples.slice(0, 5).map((e) => `${e.valid ? '✓' : '✗'} ${e.text}`),
        seconds: (performance.now() - started) / 1000,
        ...context,
      });
    }

    if (o.sentences > 0) {
      const started = performance.now();
      const scores = await maskedTokenFigures(model, corpus, o, { data, masks, unigramSeed }, io);
      const common: BenchContext = {
        t: o.t,
        n: scores.model.rows,
        maskedTokens: scores.model.maskedTokens,
        batch: o.chunk,
        evalSeed: o.seed,
        trainingSeed,
        baselineName: `unigram over ${o.unigramWindows} windows (add-½ smoothing)`,
        seconds: (performance.now() - started) / 1000,
        ...context,
      };
      io.emit({
        bench: 'quality',
        metric: 'masked_accuracy',
        value: scores.model.accuracy,
        unit: 'fraction',
        baseline: scores.unigram.accuracy,
        ...common,
      });
      io.emit({
        bench: 'quality',
        metric: 'loss_elbo',
        value: scores.model.elboLoss,
        unit: 'nats per token',
        baseline: scores.unigram.elboLoss,
        weighting: '-1/(t·L) Σ_masked log p per window, mean over windows',
        ...common,
      });
      io.emit({
        bench: 'quality',
        metric: 'loss_masked_mean',
        value: scores.model.meanLoss,
        unit: 'nats per masked token',
        baseline: scores.unigram.meanLoss,
        weighting: 'plain mean of -log p over masked tokens',
        ...common,
      });
    }
  } finally {
    await model.release();
  }

  io.emit({
    bench: 'quality',
    metric: 'onnx_size',
    value: pkg.onnx.byteLength,
    unit: 'bytes',
    target: `< ${ONNX_SIZE_LIMIT_BYTES}`,
    met: pkg.onnx.byteLength < ONNX_SIZE_LIMIT_BYTES,
    file: path.relative(process.cwd(), pkg.onnxPath),
    model: manifest.id,
  });
  return 0;
}

export const qualityBench: BenchDefinition = {
  name: 'quality',
  summary: 'model quality in Node (WASM): sample validity, masked accuracy and loss, .onnx size',
  command,
  run,
};

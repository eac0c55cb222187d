/**
 * `bench -- generate --host node` (issue 14, item 3): milliseconds per model call in Node on
 * Dawn (the `webgpu` package), for a machine with a GPU and no browser, like
 * `bench -- train --host node`. onnxruntime-web's WASM build against its WebGPU build, at the
 * app's shapes (B·L: 1·16 a generation's step, 8·16 a batch, 1·64 a longer window), on the
 * shipped default model and on a larger random-weight model of the same architecture, built
 * with the project's own graph builder (src/model/onnx). On WebGPU, ways of calling it:
 *   webgpu               tensors in and out through the CPU: [B, L, V] logits downloaded per call;
 *   webgpu-io            IO binding: inputs written into GPU buffers, the output into a
 *                        preallocated GPU buffer (preferredOutputLocation 'gpu-buffer'), then read;
 *   webgpu-capture       the same with enableGraphCapture (fixed shapes: the call is replayed);
 *   webgpu-topk          the graph ends in Softmax + TopK (buildOnnxModel's topK): a call returns
 *                        per-position top-k ids and probabilities ([B, L, k]), not logits;
 *   webgpu-io-topk       IO binding, and our WGSL top-k (src/runtime/gpuTopK.ts) on the logits
 *                        buffer: [B, L, k] read back;
 *   webgpu-capture-topk  the same with graph capture.
 * Every variant's output is checked against the WASM build's logits on three windows called in a
 * row before its time counts. A call is timed as a sampler makes it: write the window, run, read the result.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import os from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as OrtModule from 'onnxruntime-web';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import { create, globals } from 'webgpu';
import { Rng } from '../src/core/rng';
import { type ModelConfig, validateConfig } from '../src/model/config';
import { initParameters } from '../src/model/init';
import { buildOnnxModel, TOPK_IDS, TOPK_PROBS } from '../src/model/onnx/buildOnnxModel';
import { readOnnxWeights } from '../src/model/onnx/readOnnxWeights';
import { buildParameterLayout } from '../src/model/parameterLayout';
import { configOfManifest } from '../src/model/timingPackage';
import { createGpuTopK } from '../src/runtime/gpuTopK';
import type { CallInput } from '../src/runtime/sessionCall';
import { ShapeBinding } from '../src/runtime/webgpuSessionCalls';
import { chooseWasmThreads } from '../src/runtime/wasmThreads';
import type { BenchIo } from './benchCommand';
import type { BenchContext, BenchRecord } from './benchLine';
import { acceptSharedMemoryInWriteBuffer } from '../src/runtime/node/dawnSharedMemory';
import { describeNodeMachine } from './machine';
import { readModelPackage } from './nodeModelPackage';
import { type NodeGenerateSettings, type NodeVariant } from './nodeGenerateSettings';
import { summarize } from './stats';

type Ort = typeof OrtModule;

interface VariantSpec {
  provider: 'wasm' | 'webgpu';
  /** Where the top-k is taken: nowhere (logits), in the ONNX graph, or by our kernel. */
  topK: 'none' | 'graph' | 'kernel';
  /** Inputs and outputs in GPU buffers (IO binding). */
  gpuIo: boolean;
  capture: boolean;
}

const VARIANT_SPECS: Record<NodeVariant, VariantSpec> = {
  wasm: { provider: 'wasm', topK: 'none', gpuIo: false, capture: false },
  webgpu: { provider: 'webgpu', topK: 'none', gpuIo: false, capture: false },
  'webgpu-io': { provider: 'webgpu', topK: 'none', gpuIo: true, capture: false },
  'webgpu-capture': { provider: 'webgpu', topK: 'none', gpuIo: true, capture: true },
  'webgpu-topk': { provider: 'webgpu', topK: 'graph', gpuIo: false, capture: false },
  'webgpu-io-topk': { provider: 'webgpu', topK: 'kernel', gpuIo: true, capture: false },
  'webgpu-capture-topk': { provider: 'webgpu', topK: 'kernel', gpuIo: true, capture: true },
};

/** Largest |logit difference| a variant may show against the WASM build (float32, other sums). */
export const LOGIT_TOLERANCE = 1e-3;
/** Largest probability difference of a top-k variant; ids must agree where the gap is larger. */
export const PROB_TOLERANCE = 1e-4;

interface BenchModel {
  kind: 'default' | 'large';
  label: string;
  trained: boolean;
  config: ModelConfig;
  parameters: number;
  /** The graph for windows up to `length` (logits, or the top-k head). */
  onnx(length: number, topK: number | null): Uint8Array;
}

/** The ORT builds the app's worker loads: plain WASM for 'wasm', the WebGPU one for 'webgpu'. */
async function loadOrtBuilds(threads: number): Promise<Record<'wasm' | 'webgpu', Ort>> {
  // ORT's bundles and .wasm lie beside the bench's bundle (nodeTrainBundle.ts copies them) and
  // are imported from there, not bundled into it: ORT's threads start from the URL of the module
  // holding its glue, and from the bench's bundle every thread would boot the whole bench. The
  // .wasm is found by a plain path prefix (ORT's Node loader reads a path from disk; it would
  // fetch() a file:// URL, which Node refuses).
  const dir = path.dirname(fileURLToPath(import.meta.url)) + path.sep;
  const load = async (file: string) =>
    (await import(pathToFileURL(dir + file).href)) as unknown as Ort;
  const [wasm, webgpu] = await Promise.all([
    load('ort.wasm.bundle.min.mjs'),
    load('ort.webgpu.bundle.min.mjs'),
  ]);
  for (const ort of [wasm, webgpu]) {
    ort.env.wasm.wasmPaths = dir;
    ort.env.wasm.numThreads = threads;
  }
  return { wasm, webgpu };
}

function benchModels(s: NodeGenerateSettings): BenchModel[] {
  const pkg = readModelPackage(s.modelDir);
  const trained = configOfManifest(pkg.manifest);
  const models: BenchModel[] = [];
  if (s.models.includes('default')) {
    const layout = buildParameterLayout(trained);
    const weights = readOnnxWeights(pkg.onnx, layout);
    models.push({
      kind: 'default',
      label: pkg.manifest.id,
      trained: true,
      config: trained,
      parameters: layout.total,
      onnx(length, topK) {
        if (length <= trained.seqLen && topK === null) return pkg.onnx;
        if (length <= trained.seqLen)
          return buildOnnxModel(layout, weights, { topK: topK ?? undefined });
        // A longer window than it was trained on: its architecture with random weights (as the
        // speed lab's timing packages): the cost of a call, not its quality.
        const longer = buildParameterLayout({ ...trained, seqLen: length });
        const params = initParameters(longer, s.seed, (n) => new Float32Array(n));
        return buildOnnxModel(longer, params, topK === null ? {} : { topK });
      },
    });
  }
  if (s.models.includes('large')) {
    const [dModel, heads, layers, ffn] = s.large;
    const maxLength = Math.max(...s.shapes.map((x) => x.length));
    const config: ModelConfig = { ...trained, dModel, heads, layers, ffn, seqLen: maxLength };
    validateConfig(config);
    const layout = buildParameterLayout(config);
    const params = initParameters(layout, s.seed, (n) => new Float32Array(n));
    models.push({
      kind: 'large',
      label: `${pkg.manifest.id} architecture, d=${dModel} heads=${heads} layers=${layers} ffn=${ffn}`,
      trained: false,
      config,
      parameters: layout.total,
      onnx: (_length, topK) => buildOnnxModel(layout, params, topK === null ? {} : { topK }),
    });
  }
  return models;
}

/** A window as a sampler sends it mid-generation: random tokens, about half of them masked. */
function sampleWindow(config: ModelConfig, batch: number, length: number, rng: Rng) {
  const tokens = new Int32Array(batch * length);
  const t = new Float32Array(batch);
  for (let b = 0; b < batch; b++) {
    let masked = 0;
    for (let i = 0; i < length; i++) {
      const mask = rng.uniform() < 0.5;
      masked += mask ? 1 : 0;
      // Ids 0..3 are the special tokens of the toy vocabulary; [MASK] is 0.
      tokens[b * length + i] = mask ? 0 : 4 + rng.int(config.vocabSize - 4);
    }
    t[b] = masked / length;
  }
  return { tokens, t };
}

interface CallOutput {
  logits?: Float32Array;
  probs?: Float32Array;
  ids?: BigInt64Array | Uint32Array;
}

type Window = { tokens: Int32Array; t: Float32Array };

interface OpenVariant {
  /** One call on `window`, or on another window of the same shape. */
  call(other?: Window): Promise<CallOutput>;
  release(): Promise<void>;
  sessionMs: number;
}

async function openVariant(
  ort: Ort,
  spec: VariantSpec,
  onnx: Uint8Array,
  config: ModelConfig,
  window: Window,
  shape: { batch: number; length: number },
  topK: number,
): Promise<OpenVariant> {
  const { batch, length } = shape;
  const options: InferenceSession.SessionOptions = {
    executionProviders: [spec.provider],
    graphOptimizationLevel: 'all',
  };
  if (spec.gpuIo) options.preferredOutputLocation = 'gpu-buffer';
  if (spec.capture) options.enableGraphCapture = true;
  const t0 = performance.now();
  const session = await ort.InferenceSession.create(onnx, options);
  const sessionMs = performance.now() - t0;
  const cpuFeeds = (w: Window): Record<string, Tensor> => {
    const feeds: Record<string, Tensor> = {
      tokens: new ort.Tensor('int32', w.tokens, [batch, length]),
    };
    if (config.timeConditioning) feeds.t = new ort.Tensor('float32', w.t, [batch, 1]);
    return feeds;
  };
  const read = (result: InferenceSession.OnnxValueMapType): CallOutput =>
    spec.topK === 'graph'
      ? {
          probs: result[TOPK_PROBS].data as Float32Array,
          ids: result[TOPK_IDS].data as BigInt64Array,
        }
      : { logits: result.logits.data as Float32Array };

  if (!spec.gpuIo) {
    return {
      sessionMs,
      async call(w = window) {
        const result = await session.run(cpuFeeds(w));
        const out = read(result);
        for (const v of Object.values(result)) v.dispose();
        return out;
      },
      release: () => session.release(),
    };
  }

  // IO binding on ORT's own device, as the app binds a shape (webgpuSessionCalls.ts): the window
  // is written into input buffers, the results land in preallocated output buffers and are
  // copied to mappable ones to be read; with the kernel, its [rows, k] outputs are read instead.
  const device = (await ort.env.webgpu.device) as GPUDevice;
  const rows = batch * length;
  const inputsOf = (w: Window): CallInput[] => [
    { name: 'tokens', type: 'int32', data: w.tokens, dims: [batch, length] },
    ...(config.timeConditioning
      ? [{ name: 't', type: 'float32' as const, data: w.t, dims: [batch, 1] }]
      : []),
  ];
  const inputs = inputsOf(window);
  const binding = new ShapeBinding(
    ort,
    device,
    inputs,
    'logits',
    [batch, length, config.vocabSize],
    spec.topK === 'kernel'
      ? (logits) => {
          const kernel = createGpuTopK(device, logits, rows, config.vocabSize, topK);
          return {
            buffers: [kernel.probs, kernel.ids],
            encode: (encoder) => kernel.encode(encoder),
            destroy: () => kernel.destroy(),
          };
        }
      : undefined,
  );
  return {
    sessionMs,
    async call(w) {
      const feeds = w ? inputsOf(w) : inputs;
      if (spec.topK !== 'kernel') return { logits: await binding.callForLogits(session, feeds) };
      const [probs, ids] = await binding.call(session, feeds);
      return { probs: new Float32Array(probs), ids: new Uint32Array(ids) };
    },
    async release() {
      await session.release();
      binding.destroy();
    },
  };
}

/** How far a variant's output is from the reference logits: value, and whether ids agree. */
export function agreement(
  out: CallOutput,
  reference: Float32Array,
  vocab: number,
  topK: number,
): { maxAbsDiff: number; idsAgree: boolean; tolerance: number } {
  if (out.logits) {
    let max = 0;
    for (let i = 0; i < reference.length; i++) {
      max = Math.max(max, Math.abs(out.logits[i] - reference[i]));
    }
    return { maxAbsDiff: max, idsAgree: true, tolerance: LOGIT_TOLERANCE };
  }
  const rows = reference.length / vocab;
  let max = 0;
  let idsAgree = true;
  for (let r = 0; r < rows; r++) {
    const row = reference.subarray(r * vocab, (r + 1) * vocab);
    const top = Math.max(...row);
    let z = 0;
    for (const x of row) z += Math.exp(x - top);
    const p = Array.from(row, (x) => Math.exp(x - top) / z);
    const order = p.map((_, i) => i).sort((a, b) => p[b] - p[a]);
    for (let j = 0; j < topK; j++) {
      const got = out.probs![r * topK + j];
      max = Math.max(max, Math.abs(got - p[order[j]]));
      // An id may differ only where its neighbours' probabilities are within the tolerance.
      const id = Number(out.ids![r * topK + j]);
      if (id !== order[j] && Math.abs(p[id] - p[order[j]]) > PROB_TOLERANCE) idsAgree = false;
    }
  }
  return { maxAbsDiff: max, idsAgree, tolerance: PROB_TOLERANCE };
}

/** Opens Dawn and the ORT builds, then measures every model × shape × variant. */
export async function runNodeGenerateBench(s: NodeGenerateSettings, io: BenchIo): Promise<number> {
  Object.assign(globalThis, globals);
  acceptSharedMemoryInWriteBuffer();
  // Dawn's instance, held for the bench's lifetime (src/train/node/dawnDevice.ts says why).
  const gpu = create([]);
  const host = globalThis as { navigator?: { gpu?: GPU; userAgent?: string } };
  host.navigator ??= {};
  host.navigator.gpu = gpu;
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  const adapterInfo = adapter?.info;
  const adapterName = adapterInfo
    ? [adapterInfo.vendor, adapterInfo.architecture, adapterInfo.description]
        .filter(Boolean)
        .join(' / ')
    : null;
  const software = adapterInfo
    ? /swiftshader|llvmpipe|software/i.test(
        `${adapterInfo.vendor} ${adapterInfo.architecture} ${adapterInfo.description}`,
      )
    : false;
  const variants = s.variants.filter((v) => VARIANT_SPECS[v].provider === 'wasm' || adapter);
  if (variants.length < s.variants.length) {
    io.progress('generate: Dawn found no WebGPU adapter: WASM only\n');
  }
  // The app's rule for WASM threads (an isolated page with this many cores), unless given.
  const threads = s.wasmThreads ?? chooseWasmThreads(true, os.availableParallelism());
  const ort = await loadOrtBuilds(threads);
  const context: BenchContext = {
    host: `Node ${process.version} with Dawn (the webgpu package)`,
    adapter: adapterName,
    ortVersion: ort.webgpu.env.versions.web,
    machine: { ...describeNodeMachine() },
  };
  for (const model of benchModels(s)) {
    for (const shape of s.shapes) {
      // The same window in every process (a capture variant runs in a child of its own).
      const window = sampleWindow(
        model.config,
        shape.batch,
        shape.length,
        new Rng(s.seed * 7919 + shape.batch * 1009 + shape.length),
      );
      const logitsOnnx = model.onnx(shape.length, null);
      const topKOnnx = variants.some((v) => VARIANT_SPECS[v].topK === 'graph')
        ? model.onnx(shape.length, s.topK)
        : null;
      const line: BenchContext = {
        model: model.label,
        weights: model.trained && shape.length <= model.config.seqLen ? 'trained' : 'random',
        parameters: model.parameters,
        batch: shape.batch,
        length: shape.length,
        ...context,
      };
      io.progress(`generate: ${model.label}, B${shape.batch}·L${shape.length}: WASM reference…\n`);
      const reference = await openVariant(
        ort.wasm,
        VARIANT_SPECS.wasm,
        logitsOnnx,
        model.config,
        window,
        shape,
        s.topK,
      );
      // Three windows, called one after another: a variant must answer each (a replayed graph
      // that kept an earlier call's inputs answers the first right and the others wrong).
      const checkWindows = [window, 1, 2].map((w) =>
        typeof w === 'number'
          ? sampleWindow(model.config, shape.batch, shape.length, new Rng(s.seed * 31 + w))
          : w,
      );
      const expected: Float32Array[] = [];
      for (const w of checkWindows) expected.push((await reference.call(w)).logits!);
      await reference.release();
      const times = new Map<NodeVariant, number>();
      for (const name of variants) {
        const spec = VARIANT_SPECS[name];
        if (spec.capture && !s.captureChild) {
          // ORT 1.30 holds one graph-capture session per process: a later one's replays fail
          // (createBindGroup given a released buffer), so each runs in a child of its own.
          const ms = await runCaptureChild(s, model.kind, shape, name, io);
          if (ms !== null) times.set(name, ms);
          continue;
        }
        io.progress(`generate: ${model.label}, B${shape.batch}·L${shape.length}: ${name}…\n`);
        const opened = await openVariant(
          ort[spec.provider],
          spec,
          spec.topK === 'graph' ? topKOnnx! : logitsOnnx,
          model.config,
          window,
          shape,
          s.topK,
        );
        try {
          const checks = [];
          for (const [i, w] of checkWindows.entries()) {
            checks.push(
              agreement(await opened.call(w), expected[i], model.config.vocabSize, s.topK),
            );
          }
          const check = {
            ...checks[0],
            maxAbsDiff: Math.max(...checks.map((c) => c.maxAbsDiff)),
            idsAgree: checks.every((c) => c.idsAgree),
          };
          const met = check.maxAbsDiff <= check.tolerance && check.idsAgree;
          const variantLine: BenchContext = {
            provider: spec.provider,
            variant: name,
            output:
              spec.topK === 'none'
                ? 'logits'
                : `top-${s.topK} ids and probabilities (${spec.topK === 'graph' ? 'ONNX TopK' : 'our WGSL kernel'})`,
            wasmThreads: spec.provider === 'wasm' ? threads : undefined,
            note:
              spec.provider === 'webgpu' && software
                ? 'software WebGPU adapter (SwiftShader): measured, not representative of a GPU'
                : undefined,
            ...line,
          };
          io.emit({
            bench: 'generate',
            metric: 'variant_agreement',
            value: check.maxAbsDiff,
            unit:
              spec.topK === 'none' ? 'largest logit difference' : 'largest probability difference',
            target: `<= ${check.tolerance}`,
            met,
            idsAgree: spec.topK === 'none' ? undefined : check.idsAgree,
            against: 'the WASM build’s logits on the same windows, three calls in a row',
            ...variantLine,
          });
          if (!met) {
            throw new Error(
              `${name} disagrees with WASM on ${model.label} B${shape.batch}·L${shape.length} ` +
                `(${check.maxAbsDiff} > ${check.tolerance}${check.idsAgree ? '' : ', other ids'}): its speed would measure different work`,
            );
          }
          for (let i = 0; i < s.warmup; i++) await opened.call();
          const ms: number[] = [];
          for (let i = 0; i < s.calls; i++) {
            const c0 = performance.now();
            await opened.call();
            ms.push(performance.now() - c0);
          }
          const summary = summarize(ms);
          times.set(name, summary.median);
          io.emit({
            bench: 'generate',
            metric: 'ms_per_call',
            value: summary.median,
            unit: 'ms',
            p10: summary.p10,
            p90: summary.p90,
            n: s.calls,
            warmup: s.warmup,
            sessionMs: opened.sessionMs,
            how: 'write the window, run, read the result back on the CPU, one call after another',
            ...variantLine,
          });
        } finally {
          await opened.release();
        }
      }
      if (times.size > 0 && !s.captureChild) {
        const [best, ms] = [...times].reduce((a, b) => (b[1] < a[1] ? b : a));
        const wasm = times.get('wasm');
        io.emit({
          bench: 'generate',
          metric: 'fastest_variant',
          value: best,
          unit: 'variant',
          ms,
          speedupOverWasm: wasm === undefined ? undefined : wasm / ms,
          byVariant: Object.fromEntries(times),
          ...line,
        });
      }
    }
  }
  return 0;
}

/**
 * Runs one graph-capture variant at one shape in a child Node process (this bundle again, with
 * the same settings), passes its lines through and returns its ms per call (null if it failed).
 */
function runCaptureChild(
  s: NodeGenerateSettings,
  model: 'default' | 'large',
  shape: { batch: number; length: number },
  variant: NodeVariant,
  io: BenchIo,
): Promise<number | null> {
  const args = [
    process.argv[1],
    'generate',
    '--host',
    'node',
    '--capture-child',
    '--model-dir',
    s.modelDir,
    '--models',
    model,
    '--large',
    s.large.join(','),
    '--shapes',
    `${shape.batch}x${shape.length}`,
    '--variants',
    variant,
    '--top-k',
    String(s.topK),
    '--node-calls',
    String(s.calls),
    '--node-warmup',
    String(s.warmup),
    ...(s.wasmThreads === undefined ? [] : ['--wasm-threads', String(s.wasmThreads)]),
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let ms: number | null = null;
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{"bench":')) {
          if (line.trim()) io.progress(line + '\n');
          continue;
        }
        const record = JSON.parse(line) as BenchRecord;
        if (record.metric === 'ms_per_call') ms = record.value as number;
        io.emit(record);
      }
    });
    child.stderr.on('data', (chunk: Buffer) => io.progress(chunk.toString()));
    child.on('close', (code) => {
      if (code !== 0) io.progress(`generate: ${variant} exited with ${code}\n`);
      resolve(code === 0 ? ms : null);
    });
  });
}

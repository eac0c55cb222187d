/**
 * `bench -- generate` (issue 3, item 6): inference speed as the app sees it, in headless
 * Chromium against a Vite server this bench starts on a free port and stops at the end.
 *   latency:    our Denoiser against a bare session.run loop on the same model, provider, batch
 *               and WASM threads, in the same browser; medians and their ratio (target ≤ 1.15):
 *               at batch 1 as the Generate view calls it (the sampler in the inference worker),
 *               at the larger batches the app sends from the page (WorkerDenoiser.logits: the
 *               likelihood lab's 32 rows per call, the explorer's loss curve's 64);
 *               model calls per second on each provider at each batch (generateParts/latencyPart.ts).
 *   threads:    bare WASM sessions at 1 and 2 threads, at each batch (generateParts/threadsPart.ts).
 *   navigation: navigation → first rendered step of a generation in the app, and navigation →
 *               the recorded arrival run's first call on a newcomer's URL, cold and warm, with
 *               the bytes transferred by then (generateParts/navigationPart.ts).
 * A software WebGPU adapter (SwiftShader) is measured and labelled, never judged by speed.
 *
 * `--host node` measures instead, in Node on Dawn (nodeGenerateBench.ts, for a machine with a
 * GPU and no browser): ms per call of the WASM and WebGPU builds at B·L shapes, on the default
 * model and a larger one, with IO binding, graph capture and a top-k head on the GPU.
 */
import path from 'node:path';
import type { Browser } from '@playwright/test';
import { resolveArgs } from '../scripts/cli/args';
import { runNodeChild } from '../scripts/lib/swiftShaderRerun';
import type { BenchDefinition, BenchIo } from './benchCommand';
import { benchLineSplitter, type BenchContext } from './benchLine';
import { DEFAULT_PROBE_SELECTORS, newcomerHash } from './firstStepProbe';
import { latencyPart } from './generateParts/latencyPart';
import { navigationPart } from './generateParts/navigationPart';
import { threadsPart } from './generateParts/threadsPart';
import { parseChoiceList, parseIntegerList } from './listOption';
import { describeNodeMachine } from './machine';
import { NODE_VARIANTS, type NodeGenerateSettings } from './nodeGenerateSettings';
import type { PageInfo } from './pages/benchPageApi';
import type { ServerMode } from './viteServer';

const PARTS = ['latency', 'threads', 'navigation'] as const;
const PROVIDERS = ['wasm', 'webgpu'] as const;

const command = {
  name: 'bench generate',
  summary: 'WorkerDenoiser vs bare session.run, calls/s per provider, WASM threads, first step.',
  options: {
    model: { type: 'string', description: 'package id under models/', default: 'toy-sentences' },
    server: {
      type: 'string',
      description: "'dev' (vite) or 'preview' (vite build + vite preview)",
      choices: ['dev', 'preview'],
      default: 'dev',
    },
    parts: {
      type: 'string',
      description: `what to measure, comma-separated: ${PARTS.join(', ')}`,
      default: PARTS.join(','),
    },
    providers: {
      type: 'string',
      description: 'execution providers of the latency part',
      default: PROVIDERS.join(','),
    },
    // The app's own batches: 1 (a generation, the explorer's live call), 32 (the likelihood
    // lab's rows per call), 64 (the explorer's loss curve).
    batches: {
      type: 'string',
      description: 'batch sizes on WASM, comma-separated',
      default: '1,32,64',
    },
    gpuBatches: {
      type: 'string',
      description: 'batch sizes on WebGPU (a software adapter is slow)',
      default: '1,8',
    },
    threads: {
      type: 'string',
      description: 'WASM thread counts of the threads part (the first is the baseline)',
      default: '1,2',
    },
    calls: { type: 'integer', description: 'timed calls per figure', min: 1, default: 400 },
    rounds: {
      type: 'integer',
      // Fine-grained alternation: on a small shared machine the speed of both paths drifts by
      // ±30% over seconds, and blocks of 25 calls (a generation and a half) see the same drift.
      description: 'blocks the timed calls are split into, alternating between paths',
      min: 1,
      default: 16,
    },
    warmup: { type: 'integer', description: 'untimed calls before timing', min: 0, default: 60 },
    gpuCalls: {
      type: 'integer',
      description: 'timed calls per WebGPU figure (a software adapter is slow)',
      min: 1,
      default: 24,
    },
    gpuWarmup: {
      type: 'integer',
      description: 'untimed WebGPU calls before timing',
      min: 0,
      default: 8,
    },
    navigations: {
      type: 'integer',
      description: 'cold + warm navigation pairs',
      min: 1,
      default: 3,
    },
    navEp: {
      type: 'string',
      description: "the app's #ep= setting for the navigation part",
      choices: ['auto', 'wasm', 'webgpu'],
      default: 'auto',
    },
    navHash: {
      type: 'string',
      description: "the app's other hash settings for the navigation part",
      default: 'strategy=article&steps=16&seed=1&speed=1000',
    },
    startButton: {
      type: 'string',
      description: 'accessible name of the button that starts a generation',
      default: 'Generate',
    },
    startScope: {
      type: 'string',
      description: 'CSS selector of the region holding that button',
      default: 'section[aria-label="Generate"]',
    },
    stepSelector: {
      type: 'string',
      description: 'CSS selector that matches once the first step is shown',
      default: DEFAULT_PROBE_SELECTORS.stepSelector,
    },
    arrivalHash: {
      type: 'string',
      description:
        "more of the newcomer's URL hash (none by default: the app's defaults, whose recorded arrival run plays; --nav-ep and --model are added when not the defaults)",
    },
    arrivalShownSelector: {
      type: 'string',
      description: 'CSS selector that matches once the recorded arrival run is in the page',
      default: DEFAULT_PROBE_SELECTORS.arrivalShownSelector,
    },
    arrivalSelector: {
      type: 'string',
      description: "CSS selector that matches once the recorded arrival run's first call is shown",
      default: DEFAULT_PROBE_SELECTORS.arrivalSelector,
    },
    host: {
      type: 'string',
      description:
        "'browser' (headless Chromium: the parts above) or 'node' (Dawn, the webgpu package: ms per call per variant, for a machine with a GPU and no browser)",
      choices: ['browser', 'node'],
      default: 'browser',
    },
    gpuAdapter: {
      type: 'string',
      description: "node host: 'swiftshader' (a child process on software Vulkan) or 'native'",
      choices: ['swiftshader', 'native'],
      default: 'swiftshader',
    },
    modelDir: {
      type: 'string',
      description: "node host: the default model's package folder",
      default: 'models/toy-sentences',
    },
    models: {
      type: 'string',
      description: "node host: 'default' (the shipped model) and/or 'large' (random weights)",
      default: 'default,large',
    },
    large: {
      type: 'string',
      description: 'node host: d,heads,layers,ffn of the large model (4.8M parameters by default)',
      default: '256,8,6,1024',
    },
    shapes: {
      type: 'string',
      description: 'node host: batch x length of each call, comma-separated',
      default: '1x16,8x16,1x64',
    },
    variants: {
      type: 'string',
      description: `node host: ${NODE_VARIANTS.join(', ')}`,
      default: NODE_VARIANTS.join(','),
    },
    topK: {
      type: 'integer',
      description: 'node host: k of the top-k head (the trace keeps 5 candidates)',
      min: 1,
      default: 5,
    },
    nodeCalls: { type: 'integer', description: 'node host: timed calls', min: 1, default: 100 },
    nodeWarmup: { type: 'integer', description: 'node host: untimed calls', min: 0, default: 10 },
    wasmThreads: {
      type: 'integer',
      description: "node host: WASM threads (default: the app's rule for this machine's cores)",
      min: 1,
    },
    captureChild: {
      type: 'boolean',
      description: 'node host, internal: run one graph-capture variant in this process',
    },
  },
} as const;

/** The node host's settings from the options, or why they are wrong. */
function nodeSettings(o: {
  modelDir: string;
  models: string;
  large: string;
  shapes: string;
  variants: string;
  topK: number;
  nodeCalls: number;
  nodeWarmup: number;
  wasmThreads?: number;
  captureChild: boolean;
}): NodeGenerateSettings {
  const large = parseIntegerList('--large', o.large, 1, 8192);
  if (large.length !== 4) throw new Error(`--large takes d,heads,layers,ffn, got '${o.large}'`);
  const shapes = o.shapes.split(',').map((x) => {
    const m = /^\s*(\d+)\s*x\s*(\d+)\s*$/.exec(x);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1) {
      throw new Error(`--shapes takes BxL pairs such as 1x16,8x16, got '${x}'`);
    }
    return { batch: Number(m[1]), length: Number(m[2]) };
  });
  return {
    modelDir: o.modelDir,
    models: parseChoiceList('--models', o.models, ['default', 'large'] as const),
    large: large as [number, number, number, number],
    shapes,
    variants: parseChoiceList('--variants', o.variants, NODE_VARIANTS),
    topK: o.topK,
    calls: o.nodeCalls,
    warmup: o.nodeWarmup,
    seed: 1,
    wasmThreads: o.wasmThreads,
    captureChild: o.captureChild,
  };
}

/**
 * `--host node`: under tsx ('cli') the bench is bundled and run in a child Node process (Dawn
 * finds SwiftShader only in a process started with its library path; nodeTrainBundle.ts);
 * the bundle itself runs it in-process.
 */
async function runOnNode(
  argv: readonly string[],
  settings: NodeGenerateSettings,
  gpuAdapter: 'swiftshader' | 'native',
  io: BenchIo,
  mode: 'cli' | 'in-process',
): Promise<number> {
  if (mode === 'in-process') {
    const { runNodeGenerateBench } = await import('./nodeGenerateBench');
    return runNodeGenerateBench(settings, io);
  }
  io.progress('generate: bundling the bench for Node…\n');
  const { buildNodeTrainBundle, LOCAL_BUNDLE } = await import('./nodeTrainBundle');
  const bundle = await buildNodeTrainBundle(LOCAL_BUNDLE);
  const stdout = benchLineSplitter(io.stdout, io.stderr);
  const code = await runNodeChild(
    [bundle, 'generate', ...argv],
    gpuAdapter,
    { stdout: stdout.write, stderr: io.stderr },
    'bench generate',
  );
  stdout.flush();
  return code;
}

export async function runGenerateBench(
  argv: readonly string[],
  io: BenchIo,
  mode: 'cli' | 'in-process' = 'cli',
): Promise<number> {
  const args = resolveArgs(argv, command, io);
  if (typeof args === 'number') return args;
  const o = args.options;
  if (o.host === 'node' || mode === 'in-process') {
    let settings: NodeGenerateSettings;
    try {
      settings = nodeSettings(o);
    } catch (e) {
      io.stderr(`bench generate: ${(e as Error).message} (see --help)\n`);
      return 2;
    }
    return runOnNode(argv, settings, o.gpuAdapter as 'swiftshader' | 'native', io, mode);
  }
  const [{ chromium }, { chromiumLaunchOptions }, { startBenchServer }] = await Promise.all([
    import('@playwright/test'),
    import('../e2e/browserLaunch'),
    import('./viteServer'),
  ]);
  let parts: (typeof PARTS)[number][];
  let providers: (typeof PROVIDERS)[number][];
  let batches: number[];
  let gpuBatches: number[];
  let threadCounts: number[];
  try {
    parts = parseChoiceList('--parts', o.parts, PARTS);
    providers = parseChoiceList('--providers', o.providers, PROVIDERS);
    batches = parseIntegerList('--batches', o.batches, 1, 1024);
    gpuBatches = parseIntegerList('--gpu-batches', o.gpuBatches, 1, 1024);
    threadCounts = parseIntegerList('--threads', o.threads, 1, 64);
  } catch (e) {
    io.stderr(`bench generate: ${(e as Error).message} (see --help)\n`);
    return 2;
  }

  const root = path.resolve(import.meta.dirname, '..');
  io.progress(`generate: starting the ${o.server} server…\n`);
  const server = await startBenchServer(o.server as ServerMode, root, io.progress);
  let browser: Browser | null = null;
  try {
    browser = await chromium.launch(chromiumLaunchOptions());
    const browserContext = await browser.newContext();
    const page = await browserContext.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.goto(`${server.origin}/bench/pages/generate.html`);
    await page.waitForFunction(() => window.unmaskGenerateBench !== undefined);
    const info: PageInfo = await page.evaluate(
      (id) => window.unmaskGenerateBench!.prepare(id),
      o.model,
    );
    const context: BenchContext = {
      model: info.model,
      server: o.server,
      browser: `Chromium ${browser.version()} (headless)`,
      crossOriginIsolated: info.crossOriginIsolated,
      hardwareConcurrency: info.hardwareConcurrency,
      machine: { ...describeNodeMachine() },
    };
    const part = {
      page,
      io,
      context,
      batches,
      warmup: o.warmup,
      calls: o.calls,
      rounds: o.rounds,
    };
    if (parts.includes('latency')) {
      await latencyPart(part, providers, {
        calls: o.gpuCalls,
        warmup: o.gpuWarmup,
        batches: gpuBatches,
      });
    }
    if (parts.includes('threads')) {
      if (!info.crossOriginIsolated) {
        io.progress('generate: the page is not cross-origin isolated: WASM stays at 1 thread\n');
      }
      await threadsPart(part, threadCounts);
    }
    await page.evaluate(() => window.unmaskGenerateBench!.dispose());
    await browserContext.close();
    if (pageErrors.length) throw new Error(`the bench page failed: ${pageErrors.join('; ')}`);

    if (parts.includes('navigation')) {
      await navigationPart(browser, server, io, context, {
        hash: `ep=${o.navEp}&model=${encodeURIComponent(o.model)}&${o.navHash}`,
        navigations: o.navigations,
        startButton: o.startButton,
        startScope: o.startScope,
        stepSelector: o.stepSelector,
        arrivalHash: newcomerHash(
          { ep: o.navEp, model: o.model },
          { ep: command.options.navEp.default, model: command.options.model.default },
          o.arrivalHash ?? '',
        ),
        arrivalShownSelector: o.arrivalShownSelector,
        arrivalSelector: o.arrivalSelector,
      });
    }
  } finally {
    await browser?.close();
    await server.close();
  }
  return 0;
}

export const generateBench: BenchDefinition = {
  name: 'generate',
  summary:
    'speed in headless Chromium: WorkerDenoiser vs bare session.run, calls/s, WASM threads, first step',
  command,
  run: (argv, io) => runGenerateBench(argv, io),
};

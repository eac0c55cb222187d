/**
 * The Node host of `bench -- train --host node`: the bench of pages/trainBench.ts on Dawn (the
 * `webgpu` package) instead of a Chromium page, for a machine with a GPU and no browser. Our
 * trainer and TensorFlow.js-WebGPU each get a device of their own on the adapter Dawn finds, as
 * they do in the page; TensorFlow.js-WASM loads its .wasm files from its package folder.
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import '@tensorflow/tfjs-backend-cpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { create, globals } from 'webgpu';
import { serializeCheckpoint } from '../src/train/checkpointStore';
import { createTrainBench, openTrainerDevice } from './pages/trainBench';
import type { TrainBenchPage } from './pages/trainBenchApi';

/** The folder holding TensorFlow.js-WASM's three .wasm builds, next to its package.json. */
function tfjsWasmFolder(): string {
  const manifest = createRequire(import.meta.url).resolve(
    '@tensorflow/tfjs-backend-wasm/package.json',
  );
  return path.join(path.dirname(manifest), 'dist') + path.sep;
}

export async function createNodeTrainBench(): Promise<TrainBenchPage> {
  Object.assign(globalThis, globals);
  // Dawn's instance: held here for the bench's lifetime (see src/train/node/dawnDevice.ts).
  let gpu: GPU | null = create([]);
  // TensorFlow.js-WebGPU registers its backend at import time only where navigator.gpu exists,
  // and Node 20 has no navigator: give it Dawn's before importing it.
  // jax-js's WebGPU device also reads navigator.userAgent (a Firefox workaround).
  const host = globalThis as { navigator?: { gpu?: GPU; userAgent?: string } };
  host.navigator ??= {};
  host.navigator.gpu = gpu;
  host.navigator.userAgent ??= `Node.js/${process.version}`;
  await import('@tensorflow/tfjs-backend-webgpu');
  setWasmPaths(tfjsWasmFolder());
  setThreadsCount(os.availableParallelism());

  const bench = createTrainBench({
    openGpu: () => openTrainerDevice(gpu ?? undefined),
    describe: () => ({
      crossOriginIsolated: false,
      hardwareConcurrency: os.availableParallelism(),
      userAgent: `Node ${process.version} with Dawn (the webgpu package)`,
    }),
    // No IndexedDB in Node: the checkpoint is serialized as for storing, and dropped.
    saveCheckpoint: async (c) => void serializeCheckpoint(c),
  });
  return {
    ...bench,
    dispose() {
      bench.dispose();
      gpu = null;
    },
  };
}

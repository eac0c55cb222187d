/**
 * The browser host of `bench -- train` (train.html): the bench of trainBench.ts on the page's
 * WebGPU adapter and TensorFlow.js's WASM builds served by Vite. Exposes
 * window.unmaskTrainBench for the Node side (bench/train.ts), which drives it with Playwright.
 */
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgpu';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { saveCheckpoint } from '../../src/train/checkpointStore';
import { createTrainBench, openTrainerDevice } from './trainBench';

// The three builds of the WASM backend are served as files of their own, like ORT's
// (src/runtime/ortWeb.ts); the backend picks the threaded SIMD one when the page is isolated.
setWasmPaths({
  'tfjs-backend-wasm.wasm': plainWasm,
  'tfjs-backend-wasm-simd.wasm': simdWasm,
  'tfjs-backend-wasm-threaded-simd.wasm': threadedWasm,
});
// XNNPACK's thread pool, one thread per core (ORT's WASM runs at 2 here too); left unset, it
// started a single thread.
setThreadsCount(navigator.hardwareConcurrency);

window.unmaskTrainBench = createTrainBench({
  openGpu: () => openTrainerDevice((navigator as Navigator & { gpu?: GPU }).gpu),
  describe: () => ({
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    userAgent: navigator.userAgent,
  }),
  // The Train panel's store (IndexedDB, this bench server's origin), as a run of its own.
  saveCheckpoint: (c) => saveCheckpoint('train-bench', c),
});

import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import glueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import type { Ort } from './ortModel';
import { chooseWasmThreads } from './wasmThreads';

// The .wasm and its JS glue are served as files of their own (Vite emits both as assets).
// The glue must not be the copy the WebGPU bundle inlines: ORT's threads are Workers started
// from the glue's own URL (import.meta.url), and once Vite bundles ORT into our worker that
// URL is our worker's script, so each thread would boot a second copy of our worker, whose
// onmessage replaces the thread's, and the session would hang. From its own file, a thread
// loads only the glue. Same file, same version as the bundle's (onnxruntime-web's exports).
ort.env.wasm.wasmPaths = { wasm: wasmUrl, mjs: glueUrl };
ort.env.wasm.numThreads = chooseWasmThreads(
  globalThis.crossOriginIsolated === true,
  globalThis.navigator?.hardwareConcurrency,
);

/** onnxruntime-web's WebGPU build (it runs the WASM EP too), configured for this app. */
export const ortWeb: Ort = ort as unknown as Ort;

/**
 * Overrides the WASM thread count (benchmarks compare 1 and 2). ORT reads it once, when the
 * first session starts its WebAssembly, so this only takes effect before that.
 */
export function setWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  ort.env.wasm.numThreads = threads;
}

/**
 * The thread count in effect: once the WebAssembly has started, ORT has lowered the setting
 * to 1 if threads turned out to be unavailable, so this is what really runs.
 */
export function wasmThreadsInUse(): number {
  return ort.env.wasm.numThreads ?? 1;
}

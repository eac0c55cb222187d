import asyncifyGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.mjs?url';
import asyncifyWasmGzUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?gzip-url';
import plainGlueUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import plainWasmGzUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?gzip-url';
import { fetchGzipped } from './gzippedFetch';
import type { OrtBuild } from './ortBuildChoice';
import type { Ort } from './ortModel';
import { chooseWasmThreads } from './wasmThreads';

// Each build's .wasm and JS glue are served as files of their own (Vite emits them as assets).
// The glue must not be the copy the bundle inlines: ORT's threads are Workers started from the
// glue's own URL (import.meta.url), and once Vite bundles ORT into our worker that URL is our
// worker's script, so each thread would boot a second copy of our worker, whose onmessage
// replaces the thread's, and the session would hang. From its own file, a thread loads only
// the glue. Same files, same version as the bundles' (onnxruntime-web's exports). The .wasm is
// shipped gzipped (3.7 and 6.7 MB instead of 14 and 27) and inflated here: ORT gets its bytes.
const ASSETS: Record<OrtBuild, { wasmGz: string; mjs: string }> = {
  webgpu: { wasmGz: asyncifyWasmGzUrl, mjs: asyncifyGlueUrl },
  wasm: { wasmGz: plainWasmGzUrl, mjs: plainGlueUrl },
};

const builds = new Map<OrtBuild, Promise<Ort>>();

async function importBuild(build: OrtBuild): Promise<Ort> {
  // Imported on demand, so a machine that never runs WebGPU never downloads the WebGPU build.
  const [module, wasmBinary] = await Promise.all([
    build === 'webgpu' ? import('onnxruntime-web/webgpu') : import('onnxruntime-web/wasm'),
    fetchGzipped(ASSETS[build].wasmGz),
  ]);
  const ort = module as unknown as Ort;
  ort.env.wasm.wasmPaths = { mjs: ASSETS[build].mjs };
  ort.env.wasm.wasmBinary = wasmBinary;
  ort.env.wasm.numThreads = chooseWasmThreads(
    globalThis.crossOriginIsolated === true,
    globalThis.navigator?.hardwareConcurrency,
  );
  return ort;
}

/** onnxruntime-web's `build`, configured for this app; loaded once per worker. */
export function loadOrt(build: OrtBuild): Promise<Ort> {
  let ort = builds.get(build);
  if (!ort) {
    ort = importBuild(build);
    builds.set(build, ort);
    // A failed import (a lost connection) may be retried by the next load.
    ort.catch(() => builds.delete(build));
  }
  return ort;
}

/**
 * Overrides the WASM thread count (benchmarks compare 1 and 2). ORT reads it once, when the
 * build's first session starts its WebAssembly, so this only takes effect before that.
 */
export function setWasmThreads(ort: Ort, threads: number): void {
  if (!Number.isInteger(threads) || threads < 1) {
    throw new RangeError(`threads must be a positive integer, got ${threads}`);
  }
  ort.env.wasm.numThreads = threads;
}

/**
 * The thread count in effect: once the WebAssembly has started, ORT has lowered the setting
 * to 1 if threads turned out to be unavailable, so this is what really runs.
 */
export function wasmThreadsInUse(ort: Ort): number {
  return ort.env.wasm.numThreads ?? 1;
}

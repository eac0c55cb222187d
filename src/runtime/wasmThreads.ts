/**
 * How many threads onnxruntime-web's WASM execution provider gets.
 *
 * Threads need SharedArrayBuffer, which a browser only grants a cross-origin isolated page
 * (COOP + COEP, see vite.config.ts); elsewhere ORT would warn and fall back to one thread.
 *
 * When isolated, a pool of 2 to MAX_WASM_THREADS threads, half the logical cores: the page's
 * main thread, the GPU process and the model's worker need the rest. Below
 * MIN_CORES_FOR_THREADS cores there is no core to spare and a second thread slows every call:
 * `npm run bench -- generate` on a 2-core machine (shared with other jobs) measured 2 threads
 * 3 to 5 times slower than 1 at batch 8, one call per message as the app makes them (27 vs
 * 6.2 ms, 19.6 vs 4.1 ms), and no gain at batch 1 (within the noise). Such machines keep one.
 */
export const MAX_WASM_THREADS = 4;
export const MIN_CORES_FOR_THREADS = 3;

export function chooseWasmThreads(
  crossOriginIsolated: boolean,
  hardwareConcurrency: number | undefined,
): number {
  if (!crossOriginIsolated) return 1;
  if (
    hardwareConcurrency === undefined ||
    !Number.isInteger(hardwareConcurrency) ||
    hardwareConcurrency < MIN_CORES_FOR_THREADS
  ) {
    return 1;
  }
  return Math.max(2, Math.min(MAX_WASM_THREADS, Math.floor(hardwareConcurrency / 2)));
}

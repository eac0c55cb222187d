import * as ort from 'onnxruntime-web/webgpu';
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { Ort } from './ortModel';

// The WebGPU bundle inlines ORT's JS glue; only the .wasm is served by us (Vite emits it).
ort.env.wasm.wasmPaths = { wasm: wasmUrl };
ort.env.wasm.numThreads = 1;

/** onnxruntime-web's WebGPU build (it runs the WASM EP too), configured for this app. */
export const ortWeb: Ort = ort as unknown as Ort;

import type { ModelManifest } from '../model/manifest';
import { OrtModel, type Ort } from './ortModel';
import type { BackendInfo, Provider, ProviderChoice } from './protocol';
import { describeWebGpuAdapter } from './webgpuAdapter';

/** V8 runs a fresh .wasm slowly for its first few dozen calls: warm up before timing. */
const WARMUP_CALLS: Record<Provider, number> = { wasm: 60, webgpu: 8 };

async function warmUp(model: OrtModel): Promise<number> {
  const L = model.manifest.seqLen;
  const tokens = new Int32Array(L).fill(model.manifest.special.mask);
  const n = WARMUP_CALLS[model.provider];
  let timed = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    if (i === n >> 1) start = performance.now();
    await model.run(tokens, 1);
    if (i >= n >> 1) timed++;
  }
  return (performance.now() - start) / timed;
}

async function open(ort: Ort, onnx: Uint8Array, manifest: ModelManifest, provider: Provider) {
  const t0 = performance.now();
  const model = await OrtModel.create(ort, onnx, manifest, provider);
  const sessionMs = performance.now() - t0;
  const msPerCall = await warmUp(model);
  return { model, sessionMs, msPerCall };
}

/**
 * Opens a model on the provider the user asked for. 'auto' takes WebGPU only when a hardware
 * adapter is present and its warm-up is faster than WASM's; a forced WebGPU that cannot start
 * falls back to WASM and says why. The returned info names the provider that really runs.
 */
export async function openWithProvider(
  ort: Ort,
  onnx: Uint8Array,
  manifest: ModelManifest,
  choice: ProviderChoice,
): Promise<{ model: OrtModel; backend: BackendInfo }> {
  const adapter = await describeWebGpuAdapter();
  const info = (
    p: Provider,
    sessionMs: number,
    ms: number,
    choiceText: string,
    fallback: string | null,
  ): BackendInfo => ({
    provider: p,
    adapter: adapter?.description ?? null,
    softwareAdapter: adapter?.software ?? false,
    fallbackReason: fallback,
    choice: choiceText,
    // Read after the session opened: ORT lowers the setting to 1 when threads are unavailable.
    wasmThreads: ort.env.wasm.numThreads ?? 1,
    sessionMs,
    warmupMsPerCall: ms,
  });

  if (choice === 'wasm') {
    const w = await open(ort, onnx, manifest, 'wasm');
    return {
      model: w.model,
      backend: info('wasm', w.sessionMs, w.msPerCall, 'forced by the user', null),
    };
  }
  if (choice === 'webgpu') {
    if (!adapter) {
      const w = await open(ort, onnx, manifest, 'wasm');
      return {
        model: w.model,
        backend: info(
          'wasm',
          w.sessionMs,
          w.msPerCall,
          'WebGPU was requested',
          'this browser has no WebGPU adapter',
        ),
      };
    }
    try {
      const g = await open(ort, onnx, manifest, 'webgpu');
      return {
        model: g.model,
        backend: info('webgpu', g.sessionMs, g.msPerCall, 'forced by the user', null),
      };
    } catch (e) {
      const w = await open(ort, onnx, manifest, 'wasm');
      return {
        model: w.model,
        backend: info(
          'wasm',
          w.sessionMs,
          w.msPerCall,
          'WebGPU was requested',
          (e as Error).message,
        ),
      };
    }
  }
  // auto
  const w = await open(ort, onnx, manifest, 'wasm');
  if (!adapter) {
    return {
      model: w.model,
      backend: info('wasm', w.sessionMs, w.msPerCall, 'auto: no WebGPU adapter', null),
    };
  }
  if (adapter.software) {
    return {
      model: w.model,
      backend: info(
        'wasm',
        w.sessionMs,
        w.msPerCall,
        'auto: the only WebGPU adapter is a software one',
        null,
      ),
    };
  }
  try {
    const g = await open(ort, onnx, manifest, 'webgpu');
    const text = `auto: WebGPU ${g.msPerCall.toFixed(2)} ms vs WASM ${w.msPerCall.toFixed(2)} ms per call`;
    if (g.msPerCall < w.msPerCall) {
      await w.model.release();
      return { model: g.model, backend: info('webgpu', g.sessionMs, g.msPerCall, text, null) };
    }
    await g.model.release();
    return { model: w.model, backend: info('wasm', w.sessionMs, w.msPerCall, text, null) };
  } catch (e) {
    return {
      model: w.model,
      backend: info(
        'wasm',
        w.sessionMs,
        w.msPerCall,
        'auto',
        `WebGPU failed: ${(e as Error).message}`,
      ),
    };
  }
}

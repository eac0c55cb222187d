import type { ModelManifest } from '../model/manifest';
import { OrtModel, type Ort } from './ortModel';
import type { OrtBuild } from './ortBuildChoice';
import type { BackendInfo, Provider, ProviderChoice } from './protocol';
import type { AdapterSummary } from './webgpuAdapter';

/** V8 runs a fresh .wasm slowly for its first few dozen calls: warm up before timing. */
const WASM_WARMUP_CALLS = 60;
/** On WebGPU the warm-up is the window's call-mode trial; it stops here if a mode keeps failing. */
const WEBGPU_WARMUP_MAX_CALLS = 60;

/** ms per call of the window at batch 1, once warm: a sampler's every call. */
async function warmUp(model: OrtModel): Promise<number> {
  const L = model.manifest.seqLen;
  const tokens = new Int32Array(L).fill(model.manifest.special.mask);
  if (model.provider === 'webgpu') {
    // The trial of the window's shape (gpuCallModes.ts) times every call mode; its winner's
    // median is the warm call.
    for (let i = 0; i < WEBGPU_WARMUP_MAX_CALLS && !model.callModeDecision(1, L); i++) {
      await model.run(tokens, 1);
    }
    const decision = model.callModeDecision(1, L);
    if (decision) return decision.msByMode[decision.chosen]!;
  }
  const n = model.provider === 'wasm' ? WASM_WARMUP_CALLS : 8;
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
  ort: { module: Ort; build: OrtBuild },
  adapter: AdapterSummary | null,
  onnx: Uint8Array,
  manifest: ModelManifest,
  choice: ProviderChoice,
): Promise<{ model: OrtModel; backend: BackendInfo }> {
  type Opened = Awaited<ReturnType<typeof open>>;
  const chosen = (o: Opened, choiceText: string, fallback: string | null = null) => ({
    model: o.model,
    backend: {
      provider: o.model.provider,
      adapter: adapter?.description ?? null,
      softwareAdapter: adapter?.software ?? false,
      fallbackReason: fallback,
      choice: choiceText,
      // Read after the session opened: ORT lowers the setting to 1 when threads are unavailable.
      wasmThreads: ort.module.env.wasm.numThreads ?? 1,
      ortBuild: ort.build,
      sessionMs: o.sessionMs,
      warmupMsPerCall: o.msPerCall,
      gpuCalls: o.model.gpuCallModes(),
    } satisfies BackendInfo,
  });
  const wasm = () => open(ort.module, onnx, manifest, 'wasm');
  const webgpu = () => open(ort.module, onnx, manifest, 'webgpu');

  if (choice === 'wasm') return chosen(await wasm(), 'forced by the user');
  if (choice === 'webgpu') {
    if (!adapter)
      return chosen(await wasm(), 'WebGPU was requested', 'this browser has no WebGPU adapter');
    try {
      return chosen(await webgpu(), 'forced by the user');
    } catch (e) {
      return chosen(await wasm(), 'WebGPU was requested', (e as Error).message);
    }
  }
  // auto: WebGPU only on a hardware adapter that beats WASM in the warm-up.
  const w = await wasm();
  if (!adapter) return chosen(w, 'auto: no WebGPU adapter');
  if (adapter.software) return chosen(w, 'auto: the only WebGPU adapter is a software one');
  let g: Opened;
  try {
    g = await webgpu();
  } catch (e) {
    return chosen(w, 'auto', `WebGPU failed: ${(e as Error).message}`);
  }
  const text = `auto: WebGPU ${g.msPerCall.toFixed(2)} ms vs WASM ${w.msPerCall.toFixed(2)} ms per call`;
  const [keep, drop] = g.msPerCall < w.msPerCall ? [g, w] : [w, g];
  await drop.model.release();
  return chosen(keep, text);
}

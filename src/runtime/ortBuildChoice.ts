import type { AdapterSummary } from './webgpuAdapter';
import type { ProviderChoice } from './protocol';

/**
 * Which onnxruntime-web build the inference worker loads. 'webgpu' (ort.webgpu, its asyncify
 * .wasm: 27 MB) runs both execution providers; 'wasm' (ort.wasm, 14 MB) runs WASM only, but it
 * is half the download, opens a session in about half the time and is faster per call at this
 * app's small shapes.
 */
export type OrtBuild = 'webgpu' | 'wasm';

/**
 * The WebGPU build only when WebGPU may run: asked for by the user on any adapter, or 'auto'
 * with a hardware adapter (auto never picks a software one). Without an adapter, or with only
 * a software one under 'auto' or 'wasm', nothing needs it.
 */
export function ortBuildFor(choice: ProviderChoice, adapter: AdapterSummary | null): OrtBuild {
  if (!adapter) return 'wasm';
  if (choice === 'webgpu') return 'webgpu';
  if (choice === 'auto' && !adapter.software) return 'webgpu';
  return 'wasm';
}

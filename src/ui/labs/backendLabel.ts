import { GPU_CALL_MODE_NAMES } from '../../runtime/gpuCallModes';
import type { BackendInfo } from '../../runtime/protocol';

/** "WASM, 2 threads" / "WebGPU, graph capture (software adapter)": what ran a lab's model calls. */
export function backendLabel(b: BackendInfo): string {
  if (b.provider === 'wasm')
    return `WASM, ${b.wasmThreads} thread${b.wasmThreads === 1 ? '' : 's'}`;
  // The call mode the window's trial kept (gpuCallModes.ts): a batch-1 sampler's every call.
  const mode = b.gpuCalls?.decisions[0]?.chosen;
  return `WebGPU${mode ? `, ${GPU_CALL_MODE_NAMES[mode]}` : ''}${b.softwareAdapter ? ' (software adapter)' : ''}`;
}

import type { BackendInfo } from '../../runtime/protocol';

/** "WASM, 2 threads" / "WebGPU (software adapter)": what ran a lab's model calls. */
export function backendLabel(b: BackendInfo): string {
  if (b.provider === 'wasm')
    return `WASM, ${b.wasmThreads} thread${b.wasmThreads === 1 ? '' : 's'}`;
  return `WebGPU${b.softwareAdapter ? ' (software adapter)' : ''}`;
}

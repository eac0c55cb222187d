/** What the browser's WebGPU adapter is, in words; software adapters (SwiftShader) are flagged. */
export interface AdapterSummary {
  description: string;
  software: boolean;
}

export async function describeWebGpuAdapter(): Promise<AdapterSummary | null> {
  const gpu = (globalThis.navigator as Navigator | undefined)?.gpu;
  if (!gpu) return null;
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return null;
  }
  if (!adapter) return null;
  const info = adapter.info;
  const parts = [info.vendor, info.architecture, info.device, info.description].filter(
    (p, i, all) => p && all.indexOf(p) === i,
  );
  const software = info.isFallbackAdapter || /swiftshader|llvmpipe|software/i.test(parts.join(' '));
  return { description: parts.join(' / ') || 'unnamed adapter', software };
}

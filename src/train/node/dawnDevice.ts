/**
 * WebGPU in Node through the `webgpu` package (Dawn), for the parity tests and the benchmark.
 * Node-only: nothing in the browser build imports this folder.
 *
 * On a machine without a GPU, Dawn finds SwiftShader (a software Vulkan device) through the
 * copy Debian's chromium package ships in /usr/lib/chromium; the dynamic loader reads
 * LD_LIBRARY_PATH only at process start, so GPU work runs in a child process started with
 * swiftShaderEnv() (runGpuScript.ts).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { create, globals } from 'webgpu';
import { trainerDeviceFeatures } from '../trainerKernels';

export const CHROMIUM_DIR = '/usr/lib/chromium';
export const SWIFTSHADER_ICD = `${CHROMIUM_DIR}/vk_swiftshader_icd.json`;

/** The environment of a child process whose Dawn should use SwiftShader. Throws when absent. */
export function swiftShaderEnv(
  base: NodeJS.ProcessEnv = process.env,
  icd: string = SWIFTSHADER_ICD,
): NodeJS.ProcessEnv {
  if (!existsSync(icd)) {
    throw new Error(
      `SwiftShader's Vulkan driver manifest ${icd} is missing: the WebGPU tests run Dawn on ` +
        `SwiftShader from Debian's chromium package (apt-get install chromium).`,
    );
  }
  const dir = path.dirname(icd);
  const libraryPath = [dir, base.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { ...base, LD_LIBRARY_PATH: libraryPath, VK_ICD_FILENAMES: icd };
}

export interface DawnDevice {
  device: GPUDevice;
  /** The adapter in words (vendor / architecture / device / description). */
  adapter: string;
  /** Dawn's instance, held for the device's lifetime (see below); null after close(). */
  gpu: GPU | null;
  /** Destroys the device and lets go of Dawn, so the process can exit. */
  close(): void;
}

/**
 * Creates a Dawn device on the first adapter found; reports uncaptured errors on stderr.
 *
 * The object `create` returns owns Dawn's instance: if it is garbage-collected while the device
 * is in use, Dawn's event processing runs on a freed instance and the process dies at random
 * (mutex assertions, "futex facility returned an unexpected error code", SIGSEGV). The
 * returned object therefore holds it until close().
 */
export async function createDawnDevice(
  /** Options of the `webgpu` package's create(), e.g. 'enable-dawn-features=…' or 'adapter=…'. */
  dawnOptions: string[] = [],
): Promise<DawnDevice> {
  Object.assign(globalThis, globals);
  const gpu = create(dawnOptions);
  const adapter = await gpu.requestAdapter();
  if (!adapter) {
    throw new Error(
      'Dawn found no WebGPU adapter (for SwiftShader, start Node with swiftShaderEnv())',
    );
  }
  const info = adapter.info;
  const words = [info.vendor, info.architecture, info.device, info.description].filter(
    (w, i, all) => w && all.indexOf(w) === i,
  );
  const device = await adapter.requestDevice({ requiredFeatures: trainerDeviceFeatures(adapter) });
  device.addEventListener('uncapturederror', (event) => {
    console.error('WebGPU error:', (event as GPUUncapturedErrorEvent).error.message);
  });
  const result: DawnDevice = {
    device,
    adapter: words.join(' / ') || 'unnamed adapter',
    gpu,
    close() {
      device.destroy();
      result.gpu = null;
    },
  };
  return result;
}

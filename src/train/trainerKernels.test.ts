import { describe, expect, it } from 'vitest';
import { hasFourWideSubgroups, isSoftwareAdapter, trainerDeviceFeatures } from './trainerKernels';

const info = (fields: Partial<GPUAdapterInfo>) =>
  ({ vendor: '', architecture: '', device: '', description: '', ...fields }) as GPUAdapterInfo;

describe('isSoftwareAdapter', () => {
  it('recognises CPU-emulated adapters', () => {
    expect(isSoftwareAdapter(info({ vendor: 'google', architecture: 'swiftshader' }))).toBe(true);
    expect(isSoftwareAdapter(info({ description: 'llvmpipe (LLVM 15.0.7, 256 bits)' }))).toBe(true);
    expect(isSoftwareAdapter(info({ description: 'Microsoft Basic Render Driver' }))).toBe(true);
    expect(isSoftwareAdapter({ ...info({}), isFallbackAdapter: true } as GPUAdapterInfo)).toBe(
      true,
    );
  });

  it('leaves GPUs and an unknown adapter to the tiled matmul', () => {
    expect(isSoftwareAdapter(info({ vendor: 'nvidia', architecture: 'hopper' }))).toBe(false);
    expect(isSoftwareAdapter(info({ vendor: 'apple', architecture: 'metal-3' }))).toBe(false);
    expect(isSoftwareAdapter(undefined)).toBe(false);
  });
});

describe('the shared matmul’s requirements', () => {
  const device = (features: string[], sizes: [number, number] | null) =>
    ({
      features: new Set(features),
      adapterInfo: sizes
        ? { ...info({}), subgroupMinSize: sizes[0], subgroupMaxSize: sizes[1] }
        : info({}),
    }) as unknown as GPUDevice;

  it('needs the subgroups feature and subgroups of exactly 4 (SwiftShader’s SIMD width)', () => {
    expect(hasFourWideSubgroups(device(['subgroups'], [4, 4]))).toBe(true);
    expect(hasFourWideSubgroups(device([], [4, 4]))).toBe(false);
    expect(hasFourWideSubgroups(device(['subgroups'], [4, 64]))).toBe(false);
    expect(hasFourWideSubgroups(device(['subgroups'], [32, 32]))).toBe(false);
    expect(hasFourWideSubgroups(device(['subgroups'], null))).toBe(false);
  });

  it('asks for subgroups only where the adapter has them', () => {
    const adapter = (features: string[]) =>
      ({ features: new Set(features) }) as unknown as GPUAdapter;
    expect(trainerDeviceFeatures(adapter(['subgroups', 'timestamp-query']))).toEqual(['subgroups']);
    expect(trainerDeviceFeatures(adapter(['timestamp-query']))).toEqual([]);
  });
});

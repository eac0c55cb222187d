import { describe, expect, it } from 'vitest';
import { isSoftwareAdapter } from './trainerKernels';

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

import { describe, expect, it } from 'vitest';
import { ortBuildFor } from './ortBuildChoice';

describe('ortBuildFor', () => {
  const hardware = { description: 'nvidia / ampere', software: false };
  const software = { description: 'google / swiftshader', software: true };

  it('loads the WebGPU build where WebGPU may run', () => {
    expect(ortBuildFor('auto', hardware)).toBe('webgpu');
    expect(ortBuildFor('webgpu', hardware)).toBe('webgpu');
    expect(ortBuildFor('webgpu', software)).toBe('webgpu');
  });

  it('loads the plain WASM build where only WASM will run', () => {
    expect(ortBuildFor('auto', software)).toBe('wasm');
    expect(ortBuildFor('wasm', hardware)).toBe('wasm');
    expect(ortBuildFor('wasm', software)).toBe('wasm');
    // No adapter: even a forced WebGPU falls back to WASM, so it needs no WebGPU build.
    expect(ortBuildFor('webgpu', null)).toBe('wasm');
    expect(ortBuildFor('auto', null)).toBe('wasm');
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallModeDecision } from '../runtime/gpuCallModes';
import type { BackendInfo } from '../runtime/protocol';
import { useAppStore } from './store';

const decision = (shape: string): CallModeDecision => ({
  shape,
  chosen: 'io-binding',
  msByMode: { tensors: 2, 'io-binding': 1 },
});

let answer: () => Promise<BackendInfo['gpuCalls']>;
const asked = { count: 0 };
vi.mock('./denoiserInstance', () => ({
  getDenoiser: () => ({
    callModes: () => {
      asked.count++;
      return answer();
    },
  }),
}));

const backend = (provider: 'webgpu' | 'wasm'): BackendInfo => ({
  provider,
  adapter: provider === 'webgpu' ? 'a GPU' : null,
  softwareAdapter: false,
  fallbackReason: null,
  choice: 'forced by the user',
  wasmThreads: 1,
  ortBuild: provider,
  sessionMs: 10,
  warmupMsPerCall: 1,
  gpuCalls: provider === 'webgpu' ? { decisions: [decision('B1·L16')], dropped: [] } : null,
});

const s = () => useAppStore.getState();

beforeEach(() => {
  asked.count = 0;
  answer = async () => ({ decisions: [decision('B1·L16'), decision('B64·L16')], dropped: [] });
});

describe('the Backend readout’s call modes', () => {
  it('are read again from the worker: a batch tried since the load shows', async () => {
    useAppStore.setState({ backend: backend('webgpu') });
    await s().refreshCallModes();
    expect(s().backend!.gpuCalls!.decisions.map((d) => d.shape)).toEqual(['B1·L16', 'B64·L16']);
    expect(s().backend!.provider).toBe('webgpu');
  });

  it('are not asked for on WASM', async () => {
    useAppStore.setState({ backend: backend('wasm') });
    await s().refreshCallModes();
    expect(asked.count).toBe(0);
    expect(s().backend!.gpuCalls).toBeNull();
  });

  it('do not overwrite a model loaded meanwhile, nor fail when the worker cannot answer', async () => {
    const first = backend('webgpu');
    useAppStore.setState({ backend: first });
    let release = () => {};
    answer = () =>
      new Promise((resolve) => {
        release = () => resolve({ decisions: [decision('B9·L16')], dropped: [] });
      });
    const refreshing = s().refreshCallModes();
    const second = backend('webgpu');
    useAppStore.setState({ backend: second });
    release();
    await refreshing;
    expect(s().backend).toBe(second);

    answer = () => Promise.reject(new Error('no model is loaded'));
    await expect(s().refreshCallModes()).resolves.toBeUndefined();
    expect(s().backend).toBe(second);
  });
});

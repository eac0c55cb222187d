import type { StateCreator } from 'zustand';
import type { ModelManifest } from '../model/manifest';
import { ManifestError } from '../model/manifest';
import {
  fetchShippedPackage,
  listShippedPackages,
  readUserPackage,
  type DownloadProgress,
  type LoadedPackage,
} from '../runtime/modelPackage';
import type { BackendInfo, ProviderChoice } from '../runtime/protocol';
import { getDenoiser } from './denoiserInstance';
import { readHash, writeHash } from './urlHash';

export const DEFAULT_MODEL_ID = 'toy-sentences';

export interface ModelSlice {
  packages: string[];
  providerChoice: ProviderChoice;
  modelStatus: 'idle' | 'downloading' | 'opening' | 'ready' | 'error';
  progress: DownloadProgress | null;
  manifest: ModelManifest | null;
  modelSource: string | null;
  backend: BackendInfo | null;
  /** The last load error, in words; the previous model (if any) is still loaded. */
  modelError: string | null;
  /** Bumped on every successful load so views can re-run on the new model. */
  modelVersion: number;
  initModels: () => Promise<void>;
  openShipped: (id: string) => Promise<void>;
  openUserFiles: (onnx: File, manifest: File) => Promise<void>;
  setProviderChoice: (choice: ProviderChoice) => Promise<void>;
}

function describeError(e: unknown): string {
  if (e instanceof ManifestError) return `The manifest is not valid: ${e.problems.join('; ')}`;
  return (e as Error)?.message ?? String(e);
}

export const createModelSlice: StateCreator<ModelSlice, [], [], ModelSlice> = (set, get) => {
  let lastPackage: LoadedPackage | null = null;

  async function open(pkg: LoadedPackage) {
    set({ modelStatus: 'opening' });
    try {
      const backend = await getDenoiser().load(pkg.manifest, pkg.onnx, get().providerChoice);
      lastPackage = pkg;
      set((s) => ({
        manifest: pkg.manifest,
        modelSource: pkg.source,
        backend,
        modelStatus: 'ready',
        modelError: null,
        modelVersion: s.modelVersion + 1,
      }));
    } catch (e) {
      set({
        modelStatus: get().manifest ? 'ready' : 'error',
        modelError: `Could not open ${pkg.source}: ${describeError(e)}`,
      });
    }
  }

  return {
    packages: [],
    providerChoice:
      (['auto', 'webgpu', 'wasm'] as const).find((p) => p === readHash().ep) ?? 'auto',
    modelStatus: 'idle',
    progress: null,
    manifest: null,
    modelSource: null,
    backend: null,
    modelError: null,
    modelVersion: 0,

    async initModels() {
      try {
        const packages = await listShippedPackages();
        set({ packages });
        const wanted = readHash().model;
        const id =
          wanted && packages.includes(wanted)
            ? wanted
            : packages.includes(DEFAULT_MODEL_ID)
              ? DEFAULT_MODEL_ID
              : packages[0];
        if (!id) {
          set({ modelStatus: 'error', modelError: 'No model package is shipped under models/.' });
          return;
        }
        await get().openShipped(id);
      } catch (e) {
        set({ modelStatus: 'error', modelError: describeError(e) });
      }
    },

    async openShipped(id) {
      set({ modelStatus: 'downloading', progress: null });
      try {
        const pkg = await fetchShippedPackage(id, (progress) => set({ progress }));
        await open(pkg);
        if (lastPackage === pkg) writeHash({ model: id });
      } catch (e) {
        set({
          modelStatus: get().manifest ? 'ready' : 'error',
          modelError: `Could not open models/${id}/: ${describeError(e)}`,
        });
      }
    },

    async openUserFiles(onnxFile, manifestFile) {
      try {
        await open(await readUserPackage(onnxFile, manifestFile));
      } catch (e) {
        set({
          modelStatus: get().manifest ? 'ready' : 'error',
          modelError: `Could not open ${onnxFile.name}: ${describeError(e)}`,
        });
      }
    },

    async setProviderChoice(choice) {
      set({ providerChoice: choice });
      writeHash({ ep: choice });
      if (lastPackage) await open(lastPackage);
    },
  };
};

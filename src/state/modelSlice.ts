import type { StateCreator } from 'zustand';
import type { ModelManifest } from '../model/manifest';
import { ManifestError } from '../model/manifest';
import {
  fetchShippedPackage,
  listShippedPackages,
  PackageFileError,
  readUserPackage,
  type DownloadProgress,
  type LoadedPackage,
} from '../runtime/modelPackage';
import type { BackendInfo, ProviderChoice } from '../runtime/protocol';
import { DEFAULT_MODEL_ID } from './arrivalPrefetch';
import { getDenoiser } from './denoiserInstance';
import { PROVIDER_CHOICES, type LinkSlice } from './linkSlice';
import { readHash, writeHash } from './urlHash';

export interface ModelSlice {
  packages: string[];
  providerChoice: ProviderChoice;
  /** 'reading': a person's own .onnx is being read from disk (progress says how far). */
  modelStatus: 'idle' | 'downloading' | 'reading' | 'opening' | 'ready' | 'error';
  progress: DownloadProgress | null;
  manifest: ModelManifest | null;
  modelSource: string | null;
  backend: BackendInfo | null;
  /** The last load error as one line of words; the previous model (if any) is still loaded. */
  modelError: string | null;
  /** The same error for display: what failed, then every problem found, one per item. */
  modelErrorDetail: ModelErrorDetail | null;
  /** Bumped on every successful load so views can re-run on the new model. */
  modelVersion: number;
  initModels: () => Promise<void>;
  openShipped: (id: string) => Promise<void>;
  openUserFiles: (onnx: File, manifest: File) => Promise<void>;
  /** Loads a package already in memory (e.g. one trained in the page). */
  openPackage: (pkg: LoadedPackage) => Promise<void>;
  /** Shows an error about the model (e.g. a file missing from a drop) without loading anything. */
  reportModelError: (summary: string, problems?: string[]) => void;
  dismissModelError: () => void;
  setProviderChoice: (choice: ProviderChoice) => Promise<void>;
  /** Reads the WebGPU call modes as they stand now into `backend` (shapes tried since load). */
  refreshCallModes: () => Promise<void>;
}

export interface ModelErrorDetail {
  summary: string;
  problems: string[];
}

/**
 * What went wrong, split into a headline and the problems found. A manifest's problems come as a
 * list; the inference worker sends a contract's problems as lines of one message.
 */
function describeFailure(e: unknown, what: string, manifestName: string): ModelErrorDetail {
  if (e instanceof ManifestError) {
    return { summary: `The manifest ${manifestName} is not valid:`, problems: e.problems };
  }
  if (e instanceof PackageFileError) return { summary: e.summary, problems: e.problems };
  const message = e instanceof Error ? e.message : String(e);
  const problems = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return { summary: `Could not open ${what}:`, problems };
}

const errorState = (detail: ModelErrorDetail) => ({
  modelError: [detail.summary, detail.problems.join('; ')].filter(Boolean).join(' '),
  modelErrorDetail: detail,
});

export const createModelSlice: StateCreator<ModelSlice & LinkSlice, [], [], ModelSlice> = (
  set,
  get,
) => {
  let lastPackage: LoadedPackage | null = null;
  let initializing: Promise<void> | null = null;

  async function open(pkg: LoadedPackage, what = pkg.source) {
    // The alert speaks of the latest attempt only.
    set({ modelStatus: 'opening', modelError: null, modelErrorDetail: null });
    try {
      const backend = await getDenoiser().load(pkg.manifest, pkg.onnx, get().providerChoice);
      lastPackage = pkg;
      set((s) => ({
        manifest: pkg.manifest,
        modelSource: pkg.source,
        backend,
        modelStatus: 'ready',
        modelError: null,
        modelErrorDetail: null,
        modelVersion: s.modelVersion + 1,
      }));
    } catch (e) {
      set({
        modelStatus: get().manifest ? 'ready' : 'error',
        ...errorState(describeFailure(e, what, 'manifest.json')),
      });
    }
  }

  async function initModelsOnce() {
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
      if (wanted && id && id !== wanted) {
        get().noteLinkIgnored([
          {
            key: 'model',
            value: wanted,
            reason: `Model: no shipped model is called "${wanted}" (shipped: ${packages.join(', ')}), so ${id} is opened`,
          },
        ]);
      }
      if (!id) {
        set({
          modelStatus: 'error',
          ...errorState({ summary: 'No model package is shipped under models/.', problems: [] }),
        });
        return;
      }
      await get().openShipped(id);
    } catch (e) {
      set({
        modelStatus: 'error',
        ...errorState(describeFailure(e, 'the list of models', 'manifest.json')),
      });
    }
  }

  return {
    packages: [],
    providerChoice: PROVIDER_CHOICES.find((p) => p === readHash().ep) ?? 'auto',
    modelStatus: 'idle',
    progress: null,
    manifest: null,
    modelSource: null,
    backend: null,
    modelError: null,
    modelErrorDetail: null,
    modelVersion: 0,

    initModels() {
      // Once per page: React's StrictMode runs the shell's effect twice in development, and a
      // second load finishing late would replace a run already started on the first.
      initializing ??= initModelsOnce();
      return initializing;
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
          ...errorState(describeFailure(e, `models/${id}/`, `models/${id}/manifest.json`)),
        });
      }
    },

    async openUserFiles(onnxFile, manifestFile) {
      let pkg: LoadedPackage;
      // An earlier alert speaks of another attempt: it goes as this one starts.
      const before = get().modelStatus;
      set({ modelStatus: 'reading', progress: null, modelError: null, modelErrorDetail: null });
      try {
        pkg = await readUserPackage(onnxFile, manifestFile, (progress) => set({ progress }));
      } catch (e) {
        set({
          modelStatus: before === 'reading' ? (get().manifest ? 'ready' : 'error') : before,
          progress: null,
          ...errorState(describeFailure(e, `the manifest ${manifestFile.name}`, manifestFile.name)),
        });
        return;
      }
      await open(pkg, `${onnxFile.name} with the manifest ${manifestFile.name}`);
    },

    openPackage: (pkg) => open(pkg),

    reportModelError(summary, problems = []) {
      set(errorState({ summary, problems }));
    },

    dismissModelError() {
      set({ modelError: null, modelErrorDetail: null });
    },

    async refreshCallModes() {
      const backend = get().backend;
      if (backend?.provider !== 'webgpu') return;
      let gpuCalls: BackendInfo['gpuCalls'];
      try {
        gpuCalls = await getDenoiser().callModes();
      } catch {
        return; // the worker has no model now: the readout keeps what the load said
      }
      // Only for the model it was asked about: a load meanwhile brought its own.
      if (get().backend === backend) set({ backend: { ...backend, gpuCalls } });
    },

    async setProviderChoice(choice) {
      set({ providerChoice: choice });
      writeHash({ ep: choice });
      if (lastPackage) await open(lastPackage);
    },
  };
};

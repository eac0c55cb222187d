import type { StateCreator } from 'zustand';
import {
  runSampler,
  type SamplerOptions,
  type SamplerTrace,
  type TraceRecord,
} from '../core/sampler';
import { getDenoiser } from './denoiserInstance';
import type { ModelSlice } from './modelSlice';
import { intParam, numberParam, readHash, writeHash } from './urlHash';

export interface GenerationSettings {
  steps: number;
  seed: number;
  temperature: number;
}

export interface GenerationSlice {
  settings: GenerationSettings;
  /** Records of the current run, one per model call, in order. */
  records: TraceRecord[];
  trace: SamplerTrace | null;
  generating: boolean;
  generationError: string | null;
  /** Wall time per model call of the current run, as the page saw it (ms). */
  callMs: number[];
  setSettings: (patch: Partial<GenerationSettings>) => void;
  generate: () => Promise<void>;
}

function settingsFromHash(): GenerationSettings {
  const h = readHash();
  return {
    steps: intParam(h, 'steps', 16, 1, 4096),
    seed: intParam(h, 'seed', 1, 0, 0xffffffff),
    temperature: numberParam(h, 'temp', 1, 0, 10),
  };
}

/** Runs the article's sampler on the loaded model, one store update per model call. */
export const createGenerationSlice: StateCreator<
  ModelSlice & GenerationSlice,
  [],
  [],
  GenerationSlice
> = (set, get) => {
  let runId = 0;
  return {
    settings: settingsFromHash(),
    records: [],
    trace: null,
    generating: false,
    generationError: null,
    callMs: [],

    setSettings(patch) {
      const settings = { ...get().settings, ...patch };
      set({ settings });
      writeHash({
        steps: String(settings.steps),
        seed: String(settings.seed),
        temp: String(settings.temperature),
      });
    },

    async generate() {
      const { manifest, settings } = get();
      if (!manifest) return;
      const id = ++runId;
      set({ generating: true, generationError: null, records: [], trace: null, callMs: [] });
      const denoiser = getDenoiser();
      const options: SamplerOptions = {
        strategy: 'article',
        steps: settings.steps,
        seed: settings.seed,
        temperature: settings.temperature,
        timeInput: manifest.io.t === null ? 'none' : 'nominal',
      };
      try {
        const run = runSampler(denoiser, { prompt: [], genLength: manifest.seqLen }, options);
        for (;;) {
          const next = await run.next();
          if (id !== runId) return; // a newer run took over
          if (next.done) {
            set({ trace: next.value, generating: false });
            return;
          }
          set((s) => ({
            records: [...s.records, next.value],
            callMs: [...s.callMs, denoiser.lastCallMs],
          }));
        }
      } catch (e) {
        if (id === runId) set({ generating: false, generationError: (e as Error).message });
      }
    },
  };
};

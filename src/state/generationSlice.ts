/**
 * The generation view's state: the configuration (mirrored in the URL hash), the runs being
 * computed or replayed, and the shared transport (playbackSlice). Records change the store at
 * most once per model call, fewer when the model is fast (they are gathered for up to FLUSH_MS):
 * the new records, and the frame if a Step forward was waiting for one of them.
 */
import type { StateCreator } from 'zustand';
import {
  checkTraceVocabulary,
  parseTrace,
  traceVocabularyOf,
  type TraceRecord,
  type TraceVocabulary,
} from '../core/sampler';
import type { ModelManifest } from '../model/manifest';
import { fetchArrivalFiles } from '../runtime/modelPackage';
import { tokenize } from '../core/vocabulary';
import type { SampleJob } from '../runtime/workerDenoiser';
import { getDenoiser } from './denoiserInstance';
import {
  configFromHash,
  configToHash,
  type GenerationConfig,
  type RunKey,
  type RunSettings,
} from './generationConfig';
import { ARRIVAL_TRACE_FILE, linkShowsDefaultRun, openingModelId } from './arrivalPrefetch';
import { readArrivalTrace, traceMatchesConfig } from './arrivalRun';
import { runFromTrace, startingRun, type GenerationRun } from './generationRun';
import type { ModelSlice } from './modelSlice';
import { vocabularyOf } from './modelVocabulary';
import { createPlaybackSlice, playbackAfterRecords, type PlaybackSlice } from './playbackSlice';
import { planRuns, type PlannedRun } from './runPlan';
import { readHash, writeHash } from './urlHash';

export interface ImportProblem {
  fileName: string;
  errors: string[];
}

export interface GenerationRunsSlice {
  config: GenerationConfig;
  runs: GenerationRun[];
  /** Why Generate could not start (no model, invalid settings). */
  generationError: string | null;
  importProblem: ImportProblem | null;
  /** A caveat about the imported trace on screen (it does not say whose vocabulary it uses). */
  importWarning: string | null;
  /**
   * The manifest of the package whose arrival trace is shown, so its words can be read before
   * the model itself has loaded (null when none is shown).
   */
  recordedManifest: ModelManifest | null;
  setConfig: (patch: Partial<GenerationConfig>) => void;
  setRunSettings: (key: RunKey, patch: Partial<RunSettings>) => void;
  /** Pin a word at a window position (0-based); an empty word removes the pin. */
  setPin: (position: number, word: string) => void;
  generate: () => Promise<void>;
  /** Replay a trace file without the model (parseTrace checks it first). */
  importTrace: (text: string, fileName: string) => void;
  dismissImportProblem: () => void;
  /**
   * Plays the opening package's arrival trace while its model loads, when it is exactly the run
   * the configuration asks for and nothing else has been shown yet. With `animate` false (reduced
   * motion) it shows the finished painting instead.
   */
  loadArrivalRun: (animate: boolean) => Promise<void>;
}

export type GenerationSlice = GenerationRunsSlice & PlaybackSlice;

type Get = () => ModelSlice & GenerationSlice;

/** Longest a record waits before it is written to the store (ms). */
const FLUSH_MS = 25;

/** Drop pins that a longer prompt or a shorter length has covered, so none is left hidden. */
function prunePins(config: GenerationConfig): GenerationConfig['pins'] {
  const start = tokenize(config.prompt).length;
  const end = config.length === null ? Infinity : start + config.length;
  return config.pins.filter((p) => p.position >= start && p.position < end);
}

export const createGenerationRunsSlice: StateCreator<
  ModelSlice & GenerationSlice,
  [],
  [],
  GenerationRunsSlice
> = (set, get) => {
  // Bumped by every Generate and import; a run whose id is stale stops at its next record.
  let runId = 0;
  /** The recorded arrival run's files, fetched once per page (loadArrivalRun). */
  let arrivalFiles: ReturnType<typeof fetchArrivalFiles> | null = null;
  // Sample jobs of the current generation, still running in the worker.
  const active = new Set<SampleJob>();

  const commitConfig = (config: GenerationConfig) => {
    set({ config });
    writeHash(configToHash(config));
  };

  // Changes that arrived since the last store update, per run. A fast model answers many times
  // per displayed frame; its records are gathered and written in one update (at most one per
  // FLUSH_MS), so the page renders once for them instead of once per record.
  const pending = new Map<
    RunKey,
    { records: TraceRecord[]; callMs: number[]; rest: Partial<GenerationRun> }
  >();
  let flushTimer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    flushTimer = null;
    if (pending.size === 0) return;
    const changes = new Map(pending);
    pending.clear();
    set((s) => {
      const runs = s.runs.map((r) => {
        const c = changes.get(r.key);
        if (!c) return r;
        return {
          ...r,
          records: c.records.length ? [...r.records, ...c.records] : r.records,
          callMs: c.callMs.length ? [...r.callMs, ...c.callMs] : r.callMs,
          ...c.rest,
        };
      });
      return { runs, ...playbackAfterRecords(s, runs) };
    });
    get().kickPlayback();
  };

  const discardPending = () => {
    pending.clear();
    if (flushTimer !== null) clearTimeout(flushTimer);
    flushTimer = null;
  };

  /** Queue a run's change (new records and/or other fields) for the next store update. */
  const updateRun = (
    key: RunKey,
    change: Partial<GenerationRun>,
    record?: TraceRecord,
    ms?: number,
  ) => {
    const entry = pending.get(key) ?? { records: [], callMs: [], rest: {} };
    if (record) {
      entry.records.push(record);
      entry.callMs.push(ms ?? Number.NaN);
    }
    entry.rest = { ...entry.rest, ...change };
    pending.set(key, entry);
    if (flushTimer === null) flushTimer = setTimeout(flush, FLUSH_MS);
  };

  /**
   * Runs the sampler in the inference worker (next to the model) and appends each record as it
   * comes. A newer generation (runId moved on) cancels this one after its current model call.
   */
  async function drive(
    id: number,
    planned: PlannedRun,
    getState: Get,
    vocabulary: TraceVocabulary,
  ): Promise<void> {
    let calls = 0;
    // 'fill': every call this run implies is made, and kept so its branches reuse it.
    const job: SampleJob = getDenoiser().sample(
      planned.init,
      planned.options,
      (record, timing) => {
        if (id !== runId) {
          job.cancel();
          return;
        }
        calls = timing.calls;
        updateRun(planned.key, { modelCalls: calls }, record, timing.ms);
      },
      { cache: 'fill' },
    );
    active.add(job);
    try {
      const { trace, calls: made } = await job.done;
      if (id !== runId) return;
      if (!trace) throw new Error('the run was stopped because another model was loaded');
      // The trace says whose vocabulary its ids are in, so an export replays only on it.
      updateRun(planned.key, { status: 'done', trace: { ...trace, vocabulary }, modelCalls: made });
    } catch (e) {
      if (id === runId && getState().runs.some((r) => r.key === planned.key)) {
        updateRun(planned.key, { status: 'error', error: (e as Error).message, modelCalls: calls });
      }
    } finally {
      active.delete(job);
    }
  }

  /** Stops the runs in the worker that belong to an older generation. */
  const cancelActive = () => {
    for (const job of active) job.cancel();
    active.clear();
  };

  return {
    config: configFromHash(readHash()),
    runs: [],
    generationError: null,
    importProblem: null,
    importWarning: null,
    recordedManifest: null,

    setConfig(patch) {
      const config = { ...get().config, ...patch };
      if ('prompt' in patch || 'length' in patch) config.pins = prunePins(config);
      commitConfig(config);
    },

    setRunSettings(key, patch) {
      const config = get().config;
      commitConfig({ ...config, [key]: { ...config[key], ...patch } });
    },

    setPin(position, word) {
      const config = get().config;
      const pins = config.pins.filter((p) => p.position !== position);
      if (word.trim() !== '') pins.push({ position, word });
      pins.sort((x, y) => x.position - y.position);
      commitConfig({ ...config, pins });
    },

    async generate() {
      const { manifest, config } = get();
      if (!manifest) {
        set({ generationError: 'No model is loaded yet.' });
        return;
      }
      const vocab = vocabularyOf(manifest);
      if (!vocab) {
        set({
          generationError:
            "This model's vocabulary cannot be read as words (a token repeats or special ids clash).",
        });
        return;
      }
      const plan = planRuns(config, {
        vocab,
        seqLen: manifest.seqLen,
        timeConditioned: manifest.io.t !== null,
        kind: manifest.kind,
      });
      if (plan.problems.length > 0) {
        set({ generationError: plan.problems.map((p) => p.message).join('\n') });
        return;
      }
      const id = ++runId;
      cancelActive();
      discardPending();
      const runs = plan.runs.map((p) =>
        startingRun(p, manifest.special.mask, manifest.vocab.length),
      );
      set({
        runs,
        generationError: null,
        importProblem: null,
        importWarning: null,
        ...get().restartPlayback(),
      });
      // Both runs share the one inference worker, which answers their calls in turn.
      const vocabulary = traceVocabularyOf(manifest);
      await Promise.all(plan.runs.map((p) => drive(id, p, get, vocabulary)));
    },

    importTrace(text, fileName) {
      const parsed = parseTrace(text);
      if (!parsed.ok) {
        set({ importProblem: { fileName, errors: parsed.errors } });
        return;
      }
      const trace = parsed.trace;
      const manifest = get().manifest;
      const errors: string[] = [];
      if (!manifest) errors.push('no model is loaded, so its words are unknown');
      else {
        if (trace.vocabSize !== manifest.vocab.length) {
          errors.push(
            `vocabSize: the trace has ${trace.vocabSize} tokens, the loaded model ${manifest.vocab.length}`,
          );
        }
        if (trace.maskId !== manifest.special.mask) {
          errors.push(
            `maskId: the trace uses ${trace.maskId}, the loaded model ${manifest.special.mask}`,
          );
        }
      }
      const verdict = manifest ? checkTraceVocabulary(trace.vocabulary, manifest) : null;
      if (verdict?.kind === 'different' && errors.length === 0) errors.push(verdict.error);
      if (errors.length > 0) {
        set({ importProblem: { fileName, errors } });
        return;
      }
      runId++; // stops a generation in progress
      cancelActive();
      discardPending();
      const callMs = new Array<number>(trace.records.length).fill(Number.NaN);
      set({
        runs: [runFromTrace(trace, { key: 'a', source: 'import', fileName, callMs })],
        importProblem: null,
        importWarning: verdict?.kind === 'unknown' ? verdict.warning : null,
        generationError: null,
        ...get().restartPlayback(),
      });
      get().kickPlayback();
    },

    dismissImportProblem() {
      set({ importProblem: null });
    },

    async loadArrivalRun(animate) {
      // The recorded run is the default settings' run: with others it would not be shown, so
      // it is not downloaded.
      if (!linkShowsDefaultRun(configToHash(get().config))) return;
      const id = openingModelId();
      const started = runId;
      // Fetched once per page: StrictMode runs the shell's effect twice in development.
      arrivalFiles ??= fetchArrivalFiles(id, ARRIVAL_TRACE_FILE).catch(() => null);
      const files = await arrivalFiles;
      const trace = files && readArrivalTrace(files.traceText);
      // Too late if anything was generated or imported meanwhile, or another model opened.
      const s = get();
      if (!files || !trace || runId !== started || s.runs.length > 0) return;
      if (s.manifest && s.manifest.id !== files.manifest.id) return;
      if (!traceMatchesConfig(trace, s.config, files.manifest)) return;
      const run = runFromTrace(trace, { key: 'a', source: 'recorded' });
      if (!animate) {
        set({ runs: [run], recordedManifest: files.manifest, frame: trace.records.length });
        return;
      }
      set({ runs: [run], recordedManifest: files.manifest, ...get().restartPlayback() });
      get().kickPlayback();
    },
  };
};

export const createGenerationSlice: StateCreator<
  ModelSlice & GenerationSlice,
  [],
  [],
  GenerationSlice
> = (...a) => ({
  ...createGenerationRunsSlice(...a),
  ...createPlaybackSlice(...a),
});

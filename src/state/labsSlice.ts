import type { StateCreator } from 'zustand';
import { autoregressiveNll, type AutoregressiveNll } from '../core/likelihood/autoregressiveNll';
import type { ElboForm } from '../core/likelihood/elboDraw';
import { estimateNegativeElbo, type ElboPoint } from '../core/likelihood/negativeElbo';
import { conditionalOnFirstToken, spanLength } from '../core/likelihood/scoredSpan';
import { Rng } from '../core/rng';
import type { StrategyName } from '../core/sampler';
import {
  DEFAULT_DIVISORS,
  DEFAULT_LENGTHS,
  settingLabel,
  speedGrid,
  type DecodingSetting,
} from '../core/speed/decodingSettings';
import {
  measureDecoding,
  type Decoder,
  type SpeedMeasurement,
} from '../core/speed/measureDecoding';
import type { ModelManifest } from '../model/manifest';
import { packageCorpus } from '../model/packageCorpus';
import type { TimingPackage } from '../model/timingPackage';
import { twinPairProblems } from '../model/twinPair';
import {
  fetchShippedPackage,
  listShippedPackages,
  type LoadedPackage,
} from '../runtime/modelPackage';
import type { BackendInfo } from '../runtime/protocol';
import { buildTimingPackageOffThread } from '../runtime/timingPackages';
import type { SampleJob } from '../runtime/workerDenoiser';
import { labDenoiser } from './labDenoisers';
import type { ModelSlice } from './modelSlice';

/**
 * The likelihood and speed labs: the shipped diffusion model and its autoregressive twin, each
 * in a lab worker of its own (labDenoisers.ts), and the state of each lab's latest run. Runs
 * update the store at most once per model call (likelihood) or per sample (speed).
 */

/** The packages the labs compare. */
export const LAB_PAIR_IDS = {
  diffusion: 'toy-sentences',
  autoregressive: 'toy-sentences-ar',
} as const;

export type LabRunStatus = 'running' | 'done' | 'stopped' | 'error';

export interface LabPairState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  diffusion: ModelManifest | null;
  autoregressive: ModelManifest | null;
  error: string | null;
}

export interface LikelihoodSettings {
  form: ElboForm;
  /** Monte Carlo draws. */
  samples: number;
  /** Masked copies per model call. */
  rowsPerCall: number;
  seed: number;
}

export interface LikelihoodRun {
  /** The window as the models read it, one label per position. */
  tokens: string[];
  /** How many tokens are scored (the window after its first token). */
  scoredTokens: number;
  status: LabRunStatus;
  settings: LikelihoodSettings;
  /** The diffusion estimate after each model call. */
  points: ElboPoint[];
  ar: AutoregressiveNll | null;
  ms: number | null;
  backends: { diffusion: BackendInfo; autoregressive: BackendInfo } | null;
  error: string | null;
}

export interface SpeedSettings {
  lengths: number[];
  /** Samples per setting at the trained window (judged by the grammar). */
  samples: number;
  /** Samples per setting on the untrained timing packages. */
  timingSamples: number;
  warmup: number;
  threshold: number;
  strategy: StrategyName;
  temperature: number;
  seed: number;
}

export interface SpeedRow extends SpeedMeasurement {
  /** Trained weights (and a grammatical rate), or a same-architecture timing package. */
  trained: boolean;
  backend: BackendInfo;
}

export interface SpeedRun {
  status: LabRunStatus;
  settings: SpeedSettings;
  rows: SpeedRow[];
  /** Timed samples done and planned, and the setting being measured. */
  progress: { done: number; total: number; current: string | null };
  error: string | null;
}

export interface LabsSlice {
  labPair: LabPairState;
  likelihoodSentence: string;
  likelihoodSettings: LikelihoodSettings;
  likelihoodRun: LikelihoodRun | null;
  speedSettings: SpeedSettings;
  speedRun: SpeedRun | null;
  /** Downloads the pair and checks it (once; again after a failure). */
  openLabPair: () => Promise<void>;
  setLikelihoodSentence: (text: string) => void;
  setLikelihoodSettings: (patch: Partial<LikelihoodSettings>) => void;
  /** Scores a window (the view has checked the words against the vocabulary). */
  runLikelihood: (window: Int32Array, tokens: string[]) => Promise<void>;
  stopLikelihood: () => void;
  setSpeedSettings: (patch: Partial<SpeedSettings>) => void;
  runSpeed: () => Promise<void>;
  stopSpeed: () => void;
}

export const DEFAULT_LIKELIHOOD_SETTINGS: LikelihoodSettings = {
  form: 'llada',
  samples: 256,
  rowsPerCall: 32,
  seed: 1,
};

export const DEFAULT_SPEED_SETTINGS: SpeedSettings = {
  lengths: [...DEFAULT_LENGTHS],
  samples: 50,
  timingSamples: 5,
  warmup: 1,
  threshold: 0.9,
  strategy: 'llada.low_confidence',
  temperature: 1,
  seed: 1,
};

interface Pair {
  diffusion: LoadedPackage;
  autoregressive: LoadedPackage;
}

/** Thrown into a speed run's decoder when the person stops it. */
class Stopped extends Error {}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const createLabsSlice: StateCreator<
  LabsSlice & Pick<ModelSlice, 'providerChoice'>,
  [],
  [],
  LabsSlice
> = (set, get) => {
  let pair: Promise<Pair> | null = null;
  let likelihoodRunId = 0;
  let speedRunId = 0;
  let activeJob: SampleJob | null = null;
  const timingPackages = new Map<
    number,
    Promise<{ diffusion: TimingPackage; autoregressive: TimingPackage }>
  >();

  function loadPair(): Promise<Pair> {
    if (pair) return pair;
    set({ labPair: { status: 'loading', diffusion: null, autoregressive: null, error: null } });
    pair = (async () => {
      const shipped = await listShippedPackages();
      const missing = Object.values(LAB_PAIR_IDS).filter((id) => !shipped.includes(id));
      if (missing.length) {
        throw new Error(
          `The labs need the packages ${Object.values(LAB_PAIR_IDS).join(' and ')}; ${missing.join(', ')} ` +
            `is not shipped under models/ (train the twin with: npm run train -- --id ${LAB_PAIR_IDS.autoregressive} --kind autoregressive).`,
        );
      }
      const noProgress = () => undefined;
      const [diffusion, autoregressive] = await Promise.all([
        fetchShippedPackage(LAB_PAIR_IDS.diffusion, noProgress),
        fetchShippedPackage(LAB_PAIR_IDS.autoregressive, noProgress),
      ]);
      const problems = twinPairProblems(diffusion.manifest, autoregressive.manifest);
      if (problems.length) throw new Error(`These packages are not twins: ${problems.join('; ')}.`);
      set({
        labPair: {
          status: 'ready',
          diffusion: diffusion.manifest,
          autoregressive: autoregressive.manifest,
          error: null,
        },
      });
      return { diffusion, autoregressive };
    })();
    pair.catch((e: unknown) => {
      pair = null;
      set({
        labPair: { status: 'error', diffusion: null, autoregressive: null, error: message(e) },
      });
    });
    return pair;
  }

  async function openPairWorkers(p: Pair) {
    const provider = get().providerChoice;
    const [diffusion, autoregressive] = await Promise.all([
      labDenoiser('pair.diffusion', p.diffusion, provider),
      labDenoiser('pair.autoregressive', p.autoregressive, provider),
    ]);
    return { diffusion, autoregressive };
  }

  const patchLikelihood = (id: number, patch: Partial<LikelihoodRun>) => {
    if (id !== likelihoodRunId) return;
    const run = get().likelihoodRun;
    if (run) set({ likelihoodRun: { ...run, ...patch } });
  };

  const patchSpeed = (
    id: number,
    patch: Partial<SpeedRun> | ((run: SpeedRun) => Partial<SpeedRun>),
  ) => {
    if (id !== speedRunId) return;
    const run = get().speedRun;
    if (run) set({ speedRun: { ...run, ...(typeof patch === 'function' ? patch(run) : patch) } });
  };

  function timingPair(p: Pair, length: number) {
    let built = timingPackages.get(length);
    if (!built) {
      const b = (async () => {
        const [diffusion, autoregressive] = await Promise.all([
          buildTimingPackageOffThread(p.diffusion.manifest, length),
          buildTimingPackageOffThread(p.autoregressive.manifest, length),
        ]);
        return { diffusion, autoregressive };
      })();
      // A failed build is tried again by the next run.
      b.catch(() => timingPackages.delete(length));
      timingPackages.set(length, b);
      built = b;
    }
    return built;
  }

  return {
    labPair: { status: 'idle', diffusion: null, autoregressive: null, error: null },
    likelihoodSentence: 'the cat sat on the mat',
    likelihoodSettings: DEFAULT_LIKELIHOOD_SETTINGS,
    likelihoodRun: null,
    speedSettings: DEFAULT_SPEED_SETTINGS,
    speedRun: null,

    async openLabPair() {
      await loadPair().catch(() => undefined);
    },

    setLikelihoodSentence(text) {
      set({ likelihoodSentence: text });
    },

    setLikelihoodSettings(patch) {
      set({ likelihoodSettings: { ...get().likelihoodSettings, ...patch } });
    },

    async runLikelihood(window, tokens) {
      const id = ++likelihoodRunId;
      const settings = get().likelihoodSettings;
      const started = performance.now();
      set({
        likelihoodRun: {
          tokens,
          scoredTokens: Math.max(0, window.length - 1),
          status: 'running',
          settings,
          points: [],
          ar: null,
          ms: null,
          backends: null,
          error: null,
        },
      });
      try {
        const p = await loadPair();
        const L = p.diffusion.manifest.seqLen;
        if (window.length !== L)
          throw new Error(`the sentence's window has ${window.length} tokens, the models' ${L}`);
        const models = await openPairWorkers(p);
        patchLikelihood(id, {
          backends: {
            diffusion: models.diffusion.backend,
            autoregressive: models.autoregressive.backend,
          },
        });
        const span = conditionalOnFirstToken(L);
        const ar = await autoregressiveNll(models.autoregressive.denoiser, window, span);
        patchLikelihood(id, { ar, scoredTokens: spanLength(span) });
        const estimate = estimateNegativeElbo(
          models.diffusion.denoiser,
          window,
          span,
          { ...settings, timeInput: p.diffusion.manifest.io.t !== null },
          new Rng(settings.seed),
        );
        const points: ElboPoint[] = [];
        for (;;) {
          const next = await estimate.next();
          if (id !== likelihoodRunId) return;
          if (next.done) break;
          points.push(next.value);
          patchLikelihood(id, { points: points.slice() });
        }
        patchLikelihood(id, { status: 'done', ms: performance.now() - started });
      } catch (e) {
        patchLikelihood(id, { status: 'error', error: message(e) });
      }
    },

    stopLikelihood() {
      const run = get().likelihoodRun;
      likelihoodRunId++;
      if (run?.status === 'running') set({ likelihoodRun: { ...run, status: 'stopped' } });
    },

    setSpeedSettings(patch) {
      set({ speedSettings: { ...get().speedSettings, ...patch } });
    },

    async runSpeed() {
      const id = ++speedRunId;
      const settings = get().speedSettings;
      set({
        speedRun: {
          status: 'running',
          settings,
          rows: [],
          progress: { done: 0, total: 0, current: null },
          error: null,
        },
      });
      try {
        const p = await loadPair();
        const trainedLength = p.diffusion.manifest.seqLen;
        const corpus = packageCorpus(p.diffusion.manifest);
        if (!corpus) {
          throw new Error(
            `${p.diffusion.manifest.id}'s vocabulary is no toy corpus's: the twin's first words and the grammar need one`,
          );
        }
        const grid = speedGrid(settings.lengths, {
          divisors: DEFAULT_DIVISORS,
          threshold: settings.threshold,
          // The threshold's calls follow the model's confidence: only trained weights mean anything.
          adaptiveAt: [trainedLength],
        });
        const samplesOf = (s: DecodingSetting) =>
          s.length === trainedLength ? settings.samples : settings.timingSamples;
        const total = grid.reduce((n, s) => n + samplesOf(s), 0);
        let done = 0;
        patchSpeed(id, { progress: { done, total, current: null } });
        const provider = get().providerChoice;
        for (const setting of grid) {
          const trained = setting.length === trainedLength;
          const pkgs = trained ? p : await timingPair(p, setting.length);
          const role = setting.model === 'autoregressive' ? 'autoregressive' : 'diffusion';
          const { denoiser, backend } = await labDenoiser(
            `${trained ? 'pair' : 'timing'}.${role}`,
            pkgs[role],
            provider,
          );
          // The sampler runs in the worker, next to the model: a step costs one session.run, not
          // a round trip through the page per call (as in the Generate view).
          const decode: Decoder = async (init, options) => {
            if (id !== speedRunId) throw new Stopped();
            const job = denoiser.sample(init, options, () => undefined);
            activeJob = job;
            const { trace, calls } = await job.done;
            activeJob = null;
            if (!trace || id !== speedRunId) throw new Stopped();
            return { final: trace.final, calls };
          };
          patchSpeed(id, { progress: { done, total, current: settingLabel(setting) } });
          const before = done;
          const m = await measureDecoding(decode, setting, {
            samples: samplesOf(setting),
            warmup: settings.warmup,
            seed: settings.seed,
            style: { strategy: settings.strategy, temperature: settings.temperature },
            firstWord: (i) => corpus.vocab.id(corpus.sample(new Rng((settings.seed + i) >>> 0))[0]),
            judge: trained ? (w) => corpus.isValidWindow(w) : undefined,
            now: () => performance.now(),
            onSample: (k) => {
              done = before + k;
              patchSpeed(id, (run) => ({ progress: { ...run.progress, done } }));
            },
          });
          patchSpeed(id, (run) => ({ rows: [...run.rows, { ...m, trained, backend }] }));
        }
        patchSpeed(id, (run) => ({ status: 'done', progress: { ...run.progress, current: null } }));
      } catch (e) {
        if (e instanceof Stopped) return;
        patchSpeed(id, { status: 'error', error: message(e) });
      }
    },

    stopSpeed() {
      const run = get().speedRun;
      speedRunId++;
      activeJob?.cancel();
      activeJob = null;
      if (run?.status === 'running') {
        set({
          speedRun: { ...run, status: 'stopped', progress: { ...run.progress, current: null } },
        });
      }
    },
  };
};

import type { StateCreator } from 'zustand';
import { BUILT_IN_COUPLETS, parseCouplets, type Couplet } from '../core/corpus';
import {
  evaluateReversal,
  runReversalTask,
  type CoupletModel,
  type ReversalOutcome,
  type ReversalScore,
  type ReversalSkip,
} from '../core/evaluation/reversalEvaluation';
import {
  poseReversalTask,
  type CoupletModelKind,
  type ReversalDirection,
} from '../core/evaluation/reversalTasks';
import type { SamplerInit, SamplerOptions, SamplerTrace } from '../core/sampler';
import { coupletModelInfo } from '../model/coupletModel';
import type { ModelManifest } from '../model/manifest';
import { twinPairProblems } from '../model/twinPair';
import { fetchShippedPackage, listShippedPackages } from '../runtime/modelPackage';
import type { WorkerDenoiser } from '../runtime/workerDenoiser';
import { labDenoiser } from './labDenoisers';
import type { ModelSlice } from './modelSlice';

/**
 * The reversal lab: the shipped couplet model and its autoregressive twin, each in a lab worker
 * of its own (never the page's shared one), the couplets to test (ours, or a file the person
 * loads), the latest evaluation and one example drilled into. The sampler runs next to each
 * model, in its worker; the store changes at most every STORE_MS during a run.
 */

/** The packages the lab compares (trained by `npm run train -- --corpus couplets …`). */
export const REVERSAL_PAIR_IDS = { diffusion: 'couplets', autoregressive: 'couplets-ar' } as const;

/** Fewest milliseconds between two store updates of a running evaluation. */
const STORE_MS = 100;

export interface ReversalData {
  /** 'built-in' or the file name. */
  source: string;
  couplets: Couplet[];
}

export interface ReversalPair {
  status: 'idle' | 'loading' | 'ready' | 'error';
  diffusion: ModelManifest | null;
  autoregressive: ModelManifest | null;
  error: string | null;
}

export interface ReversalRun {
  status: 'running' | 'done' | 'stopped' | 'error';
  /** The couplets tested (the first `limit` of the data). */
  couplets: Couplet[];
  source: string;
  done: number;
  total: number;
  outcomes: ReversalOutcome[];
  skipped: ReversalSkip[];
  scores: ReversalScore[];
  seconds: number;
  error: string | null;
}

export interface ReversalDrill {
  index: number;
  kind: CoupletModelKind;
  direction: ReversalDirection;
  status: 'running' | 'done' | 'error';
  trace: SamplerTrace | null;
  outcome: Omit<ReversalOutcome, 'index'> | null;
  error: string | null;
}

export interface ReversalSlice {
  reversalData: ReversalData;
  /** Why the last file was refused (the data in use is unchanged). */
  reversalFileProblem: { fileName: string; errors: string[] } | null;
  /** Test only the first N couplets (null = all). */
  reversalLimit: number | null;
  reversalPair: ReversalPair;
  reversalRun: ReversalRun | null;
  reversalDrill: ReversalDrill | null;
  loadReversalFile: (text: string, fileName: string) => void;
  chooseBuiltInCouplets: () => void;
  setReversalLimit: (limit: number | null) => void;
  /** Downloads the pair and opens it in its workers (once; again after a failure). */
  openReversalPair: () => Promise<void>;
  runReversal: () => Promise<void>;
  stopReversal: () => void;
  /** Runs one example again with its trace, for the drill-down. */
  drillReversal: (
    index: number,
    kind: CoupletModelKind,
    direction: ReversalDirection,
  ) => Promise<void>;
  closeReversalDrill: () => void;
}

const BUILT_IN: ReversalData = { source: 'built-in', couplets: [...BUILT_IN_COUPLETS] };
const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Thrown into an evaluation when the person stops it. */
class Stopped extends Error {}

type Models = Record<CoupletModelKind, CoupletModel & { manifest: ModelManifest }>;

/** The sampler run in the model's worker; a cancelled job (stopped run) throws Stopped. */
function workerSampler(denoiser: WorkerDenoiser, signal?: AbortSignal) {
  return async (init: SamplerInit, options: SamplerOptions): Promise<SamplerTrace> => {
    const job = denoiser.sample(init, options, () => undefined);
    const cancel = () => job.cancel();
    signal?.addEventListener('abort', cancel);
    try {
      const { trace } = await job.done;
      if (!trace) throw new Stopped('stopped');
      return trace;
    } finally {
      signal?.removeEventListener('abort', cancel);
    }
  };
}

export const createReversalSlice: StateCreator<
  ReversalSlice & Pick<ModelSlice, 'providerChoice'>,
  [],
  [],
  ReversalSlice
> = (set, get) => {
  let pair: Promise<
    Record<CoupletModelKind, { manifest: ModelManifest; denoiser: WorkerDenoiser }>
  > | null = null;
  let controller: AbortController | null = null;
  let drillId = 0;

  function loadPair() {
    if (pair) return pair;
    set({
      reversalPair: { status: 'loading', diffusion: null, autoregressive: null, error: null },
    });
    pair = (async () => {
      const shipped = await listShippedPackages();
      const ids = Object.values(REVERSAL_PAIR_IDS);
      const missing = ids.filter((id) => !shipped.includes(id));
      if (missing.length) {
        throw new Error(
          `The reversal lab needs the packages ${ids.join(' and ')}; ${missing.join(', ')} is not ` +
            'shipped under models/ (see README: npm run train -- --corpus couplets …).',
        );
      }
      const noProgress = () => undefined;
      const [diffusion, autoregressive] = await Promise.all(
        ids.map((id) => fetchShippedPackage(id, noProgress)),
      );
      const problems = twinPairProblems(diffusion.manifest, autoregressive.manifest);
      if (problems.length) throw new Error(`These packages are not twins: ${problems.join('; ')}.`);
      coupletModelInfo(diffusion.manifest); // refuses a package that is not a couplet model
      const provider = get().providerChoice;
      const [d, a] = await Promise.all([
        labDenoiser('reversal.diffusion', diffusion, provider),
        labDenoiser('reversal.autoregressive', autoregressive, provider),
      ]);
      set({
        reversalPair: {
          status: 'ready',
          diffusion: diffusion.manifest,
          autoregressive: autoregressive.manifest,
          error: null,
        },
      });
      return {
        'masked-diffusion': { manifest: diffusion.manifest, denoiser: d.denoiser },
        autoregressive: { manifest: autoregressive.manifest, denoiser: a.denoiser },
      };
    })();
    pair.catch((e: unknown) => {
      pair = null;
      set({
        reversalPair: { status: 'error', diffusion: null, autoregressive: null, error: message(e) },
      });
    });
    return pair;
  }

  async function models(signal?: AbortSignal): Promise<Models> {
    const p = await loadPair();
    const model = (kind: CoupletModelKind) => ({
      ...coupletModelInfo(p[kind].manifest),
      manifest: p[kind].manifest,
      sample: workerSampler(p[kind].denoiser, signal),
    });
    return {
      'masked-diffusion': model('masked-diffusion'),
      autoregressive: model('autoregressive'),
    };
  }

  return {
    reversalData: BUILT_IN,
    reversalFileProblem: null,
    reversalLimit: null,
    reversalPair: { status: 'idle', diffusion: null, autoregressive: null, error: null },
    reversalRun: null,
    reversalDrill: null,

    loadReversalFile(text, fileName) {
      const parsed = parseCouplets(text);
      if (!parsed.ok) {
        set({ reversalFileProblem: { fileName, errors: parsed.errors } });
        return;
      }
      set({
        reversalData: { source: fileName, couplets: parsed.couplets },
        reversalFileProblem: null,
      });
    },

    chooseBuiltInCouplets() {
      set({ reversalData: BUILT_IN, reversalFileProblem: null });
    },

    setReversalLimit(limit) {
      set({ reversalLimit: limit });
    },

    async openReversalPair() {
      await loadPair().catch(() => undefined);
    },

    async runReversal() {
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      const { reversalData, reversalLimit } = get();
      const couplets = reversalData.couplets.slice(0, reversalLimit ?? undefined);
      const started = performance.now();
      const run: ReversalRun = {
        status: 'running',
        couplets,
        source: reversalData.source,
        done: 0,
        total: 0,
        outcomes: [],
        skipped: [],
        scores: [],
        seconds: 0,
        error: null,
      };
      set({ reversalRun: run, reversalDrill: null });
      const update = (patch: Partial<ReversalRun>) => {
        if (controller !== mine) return;
        set((s) => (s.reversalRun ? { reversalRun: { ...s.reversalRun, ...patch } } : {}));
      };
      let lastStore = 0;
      const outcomes: ReversalOutcome[] = [];
      try {
        const m = await models(mine.signal);
        const result = await evaluateReversal(couplets, [m['masked-diffusion'], m.autoregressive], {
          signal: mine.signal,
          onOutcome: (outcome, done, total) => {
            outcomes.push(outcome);
            const now = performance.now();
            if (now - lastStore < STORE_MS && done < total) return;
            lastStore = now;
            update({ done, total, outcomes: outcomes.slice(), seconds: (now - started) / 1000 });
          },
        });
        update({
          status: 'done',
          done: result.outcomes.length,
          total: result.outcomes.length,
          outcomes: result.outcomes,
          skipped: result.skipped,
          scores: result.scores,
          seconds: (performance.now() - started) / 1000,
        });
      } catch (e) {
        const stopped = mine.signal.aborted || e instanceof Stopped;
        update({
          status: stopped ? 'stopped' : 'error',
          error: stopped ? null : message(e),
          outcomes: outcomes.slice(),
          seconds: (performance.now() - started) / 1000,
        });
      } finally {
        if (controller === mine) controller = null;
      }
    },

    stopReversal() {
      controller?.abort(new Stopped('stopped'));
    },

    async drillReversal(index, kind, direction) {
      const id = ++drillId;
      const couplet = get().reversalRun?.couplets[index] ?? get().reversalData.couplets[index];
      const drill: ReversalDrill = {
        index,
        kind,
        direction,
        status: 'running',
        trace: null,
        outcome: null,
        error: null,
      };
      set({ reversalDrill: drill });
      const done = (patch: Partial<ReversalDrill>) => {
        if (id === drillId) set({ reversalDrill: { ...drill, ...patch } });
      };
      try {
        if (!couplet) throw new Error(`there is no couplet ${index + 1}`);
        const model = (await models())[kind];
        const posed = poseReversalTask(couplet, direction, model);
        if (!posed.ok) throw new Error(posed.reason);
        const { trace, outcome } = await runReversalTask(model, posed.task, 5);
        done({ status: 'done', trace, outcome });
      } catch (e) {
        done({ status: 'error', error: message(e) });
      }
    },

    closeReversalDrill() {
      drillId++;
      set({ reversalDrill: null });
    },
  };
};

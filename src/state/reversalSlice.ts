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
import {
  fetchShippedPackage,
  listShippedPackages,
  type LoadedPackage,
} from '../runtime/modelPackage';
import type { WorkerDenoiser } from '../runtime/workerDenoiser';
import { labDenoiser } from './labDenoisers';
import type { ModelSlice } from './modelSlice';

/**
 * The reversal lab: the shipped couplet model and its autoregressive twin, each in a lab worker
 * of its own (never the page's shared one), the couplets to test (ours, or a file the person
 * loads), the latest evaluation and one example drilled into. The sampler runs next to each
 * model, in its worker; the store changes at most every STORE_MS during a run.
 */

export interface ReversalPairIds {
  diffusion: string;
  autoregressive: string;
}

/**
 * The shipped couplet pairs (trained by `npm run train -- --corpus couplets …`, see README), in
 * order of preference: ours (the default couplets), and one that also knows the LLaDA authors'
 * 469. The lab uses the pair whose vocabulary can be asked the most of the couplets in use.
 */
export const REVERSAL_PAIRS: readonly ReversalPairIds[] = [
  { diffusion: 'couplets', autoregressive: 'couplets-ar' },
  { diffusion: 'couplets-llada', autoregressive: 'couplets-llada-ar' },
];

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
type OpenModel = { manifest: ModelManifest; denoiser: WorkerDenoiser };

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

/** A shipped pair, downloaded and checked. */
interface PairPackages {
  ids: ReversalPairIds;
  diffusion: LoadedPackage;
  autoregressive: LoadedPackage;
}

/** How many of these couplets the pair's models can be asked (characters known, window fits). */
export function posableCount(couplets: readonly Couplet[], manifest: ModelManifest): number {
  const info = coupletModelInfo(manifest);
  return couplets.filter(
    (c) => poseReversalTask(c, 'forward', info).ok && poseReversalTask(c, 'reversal', info).ok,
  ).length;
}

export const createReversalSlice: StateCreator<
  ReversalSlice & Pick<ModelSlice, 'providerChoice'>,
  [],
  [],
  ReversalSlice
> = (set, get) => {
  const downloads = new Map<string, Promise<PairPackages>>();
  /** The pair open in the lab's two workers. */
  let current: { ids: ReversalPairIds; models: Record<CoupletModelKind, OpenModel> } | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  let controller: AbortController | null = null;
  let drillId = 0;

  function download(ids: ReversalPairIds): Promise<PairPackages> {
    const cached = downloads.get(ids.diffusion);
    if (cached) return cached;
    const noProgress = () => undefined;
    const p = (async () => {
      const [diffusion, autoregressive] = await Promise.all(
        [ids.diffusion, ids.autoregressive].map((id) => fetchShippedPackage(id, noProgress)),
      );
      const problems = twinPairProblems(diffusion.manifest, autoregressive.manifest);
      if (problems.length) throw new Error(`These packages are not twins: ${problems.join('; ')}.`);
      coupletModelInfo(diffusion.manifest); // refuses a package that is not a couplet model
      return { ids, diffusion, autoregressive };
    })();
    downloads.set(ids.diffusion, p);
    p.catch(() => downloads.delete(ids.diffusion));
    return p;
  }

  /** The shipped pair that can be asked the most of these couplets (the first one on a tie). */
  async function pairFor(couplets: readonly Couplet[]): Promise<PairPackages> {
    const shipped = await listShippedPackages();
    const available = REVERSAL_PAIRS.filter(
      (ids) => shipped.includes(ids.diffusion) && shipped.includes(ids.autoregressive),
    );
    if (available.length === 0) {
      const named = REVERSAL_PAIRS.map((p) => `${p.diffusion} and ${p.autoregressive}`);
      throw new Error(
        `The reversal lab needs a couplet model and its twin (${named.join(', or ')}) under ` +
          'models/; none is shipped (see README: npm run train -- --corpus couplets …).',
      );
    }
    let best: { pair: PairPackages; count: number } | null = null;
    for (const ids of available) {
      const pair = await download(ids);
      const count = posableCount(couplets, pair.diffusion.manifest);
      if (!best || count > best.count) best = { pair, count };
      if (count === couplets.length) break;
    }
    return best!.pair;
  }

  /**
   * Opens the pair chosen for these couplets in the lab's two workers (again only when the
   * choice changes). Requests run one after another, so the workers always end up holding the
   * latest choice and the store says which.
   */
  function openFor(couplets: readonly Couplet[]): Promise<Record<CoupletModelKind, OpenModel>> {
    const next = queue.then(() => openPair(couplets));
    queue = next.catch(() => undefined);
    return next;
  }

  async function openPair(couplets: readonly Couplet[]) {
    if (!current) {
      set({
        reversalPair: { status: 'loading', diffusion: null, autoregressive: null, error: null },
      });
    }
    try {
      const pair = await pairFor(couplets);
      if (current?.ids === pair.ids) return current.models;
      set({
        reversalPair: { status: 'loading', diffusion: null, autoregressive: null, error: null },
      });
      current = null;
      const provider = get().providerChoice;
      const [d, a] = await Promise.all([
        labDenoiser('reversal.diffusion', pair.diffusion, provider),
        labDenoiser('reversal.autoregressive', pair.autoregressive, provider),
      ]);
      const models = {
        'masked-diffusion': { manifest: pair.diffusion.manifest, denoiser: d.denoiser },
        autoregressive: { manifest: pair.autoregressive.manifest, denoiser: a.denoiser },
      };
      current = { ids: pair.ids, models };
      set({
        reversalPair: {
          status: 'ready',
          diffusion: pair.diffusion.manifest,
          autoregressive: pair.autoregressive.manifest,
          error: null,
        },
      });
      return models;
    } catch (e) {
      current = null;
      set({
        reversalPair: { status: 'error', diffusion: null, autoregressive: null, error: message(e) },
      });
      throw e;
    }
  }

  async function models(couplets: readonly Couplet[], signal?: AbortSignal): Promise<Models> {
    const p = await openFor(couplets);
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
      if (controller) return; // a running evaluation keeps its models
      const { reversalData, reversalLimit } = get();
      await openFor(reversalData.couplets.slice(0, reversalLimit ?? undefined)).catch(
        () => undefined,
      );
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
        const m = await models(couplets, mine.signal);
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
      const couplets = get().reversalRun?.couplets ?? get().reversalData.couplets;
      const couplet = couplets[index];
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
        const model = (await models(couplets))[kind];
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

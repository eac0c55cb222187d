/**
 * Rewind and branch in the store: the tree of a run's branches (runTree.ts), the branch being set
 * up, and which nodes are on screen. A branch runs in the inference worker from its state at the
 * branch point (core/sampler/branch.ts), its model calls through the worker's logits cache, so an
 * input its parent (or any earlier run of this model) already gave the model is not given again.
 * Shown nodes are ordinary runs of the generation view (run A and run B), so the strip, the
 * history, the transport, the insights and Export work on them unchanged.
 */
import type { StateCreator } from 'zustand';
import {
  branchLineage,
  branchMode,
  branchStart,
  branchTrace,
  type BranchPin,
  type TraceRecord,
} from '../core/sampler';
import { getDenoiser } from './denoiserInstance';
import type { RunKey } from './generationConfig';
import type { GenerationRun } from './generationRun';
import type { GenerationSlice } from './generationSlice';
import type { ModelSlice } from './modelSlice';
import { playbackAfterRecords } from './playbackSlice';
import {
  addNode,
  branchOptions,
  newRunId,
  nodeById,
  sourceOf,
  treeFromRun,
  updateNode,
  type BranchSettings,
  type RunTree,
} from './runTree';

export interface BranchDraft {
  /** The node branched from, and the calls the branch keeps (the frame it was started at). */
  nodeId: string;
  atCall: number;
}

export interface RunTreeSlice {
  tree: RunTree | null;
  branchDraft: BranchDraft | null;
  branchError: string | null;
  /** Sets up a branch of the run shown as `runKey` after call `atCall` (its frame). */
  openBranch: (runKey: RunKey, atCall: number) => void;
  cancelBranch: () => void;
  /** Runs the drafted branch; it is shown as run A, its parent beside it as run B. */
  runBranch: (settings: BranchSettings) => Promise<void>;
  /** Shows a node as run A or run B (B beside A: side by side). */
  showNode: (id: string, slot: RunKey) => void;
  /** Only run A stays on screen. */
  closeSideBySide: () => void;
}

type Store = ModelSlice & GenerationSlice & RunTreeSlice;

// Which node each run object on screen is (runs are replaced, never changed in place).
const nodeOfRunObject = new WeakMap<GenerationRun, string>();

/** The tree node a run on screen is, or null (a run that is not in the tree). */
export function nodeIdOf(run: GenerationRun): string | null {
  return nodeOfRunObject.get(run) ?? null;
}

function tagged(run: GenerationRun, id: string, key: RunKey = run.key): GenerationRun {
  const out = run.key === key ? run : { ...run, key };
  nodeOfRunObject.set(out, id);
  return out;
}

/** Longest a branch's records wait before they reach the store (ms), as in generationSlice. */
const FLUSH_MS = 25;

export const createRunTreeSlice: StateCreator<Store, [], [], RunTreeSlice> = (set, get) => {
  /** The tree the run shown as `key` belongs to, a new tree rooted at it if none. */
  const treeWith = (run: GenerationRun): { tree: RunTree; nodeId: string } => {
    const tree = get().tree;
    const known = nodeIdOf(run);
    if (tree && known && nodeById(tree, known)) return { tree, nodeId: known };
    const fresh = treeFromRun(run);
    return { tree: fresh, nodeId: fresh.rootId };
  };

  /** Puts the node's current run object wherever that node is on screen. */
  const runsWithNode = (runs: readonly GenerationRun[], id: string, run: GenerationRun) =>
    runs.map((r) => (nodeIdOf(r) === id ? tagged(run, id, r.key) : r));

  return {
    tree: null,
    branchDraft: null,
    branchError: null,

    openBranch(runKey, atCall) {
      const s = get();
      const run = s.runs.find((r) => r.key === runKey);
      if (!run) return;
      const { tree, nodeId } = treeWith(run);
      const root = nodeById(tree, nodeId)!;
      // The run on screen becomes the tree's node (its trace now carries the lineage id).
      const runs = s.runs.map((r) => (r === run ? tagged(root.run, nodeId, r.key) : r));
      set({
        tree,
        runs,
        branchDraft: { nodeId, atCall: Math.min(atCall, run.records.length) },
        branchError: null,
      });
    },

    cancelBranch() {
      set({ branchDraft: null, branchError: null });
    },

    async runBranch(settings) {
      const { tree, branchDraft: draft, manifest } = get();
      if (!tree || !draft) return;
      const parent = nodeById(tree, draft.nodeId);
      if (!parent) return;
      if (!manifest) {
        set({ branchError: 'No model is loaded yet.' });
        return;
      }
      const source = sourceOf(parent);
      let prepared;
      try {
        const options = branchOptions(parent.run.options, settings);
        const mode = branchMode(parent.run.options, options);
        const pins: BranchPin[] = settings.pin ? [settings.pin] : [];
        const start = branchStart(source, draft.atCall, options, pins, mode);
        prepared = { options, mode, start };
      } catch (e) {
        set({ branchError: (e as Error).message });
        return;
      }
      const { options, mode, start } = prepared;
      const id = newRunId();
      const atCall = draft.atCall;
      const ids = { id, parent: { id: parent.id, atCall, mode } };
      const shared = parent.run.records.slice(0, atCall);
      let run: GenerationRun = {
        key: 'a',
        source: 'branch',
        fileName: null,
        options,
        vocabSize: parent.run.vocabSize,
        maskId: parent.run.maskId,
        promptLength: parent.run.promptLength,
        initial: parent.run.initial,
        pinned: parent.run.pinned,
        records: shared,
        callMs: new Array<number>(atCall).fill(Number.NaN),
        modelCalls: 0,
        status: 'running',
        error: null,
        trace: null,
        lineage: branchLineage(source, start, ids),
      };
      const node = {
        id,
        parentId: parent.id,
        atCall,
        mode,
        pins: start.pins,
        run,
        modelCalls: 0,
        reused: 0,
      };
      const next = addNode(tree, node);
      const parentRun = tagged(parent.run, parent.id, 'b');
      const shownRun = tagged(run, id, 'a');
      set({
        tree: next,
        branchDraft: null,
        branchError: null,
        runs: [shownRun],
        frame: atCall,
        playing: true,
        waitingForFrame: null,
      });
      // Its parent beside it one task later: two whole run panels mounted at once would be one
      // long main-thread task.
      setTimeout(() => {
        set((s) =>
          s.runs.length === 1 && nodeIdOf(s.runs[0]) === id ? { runs: [s.runs[0], parentRun] } : {},
        );
      }, 0);

      // Records are gathered and written at most once per FLUSH_MS.
      const own: TraceRecord[] = [];
      let pending: { records: TraceRecord[]; ms: number[] } = { records: [], ms: [] };
      let modelCalls = 0;
      let reused = 0;
      let timer: ReturnType<typeof setTimeout> | null = null;
      const write = (change: Partial<GenerationRun>) => {
        run = {
          ...run,
          records: pending.records.length ? [...run.records, ...pending.records] : run.records,
          callMs: pending.ms.length ? [...run.callMs, ...pending.ms] : run.callMs,
          modelCalls,
          ...change,
        };
        pending = { records: [], ms: [] };
        set((s) => {
          const current = s.tree && nodeById(s.tree, id) ? s.tree : null;
          const runs = runsWithNode(s.runs, id, run);
          return {
            ...(current ? { tree: updateNode(current, id, { run, modelCalls, reused }) } : {}),
            runs,
            ...playbackAfterRecords(s, runs),
          };
        });
        get().kickPlayback();
      };
      const flush = () => {
        timer = null;
        write({});
      };
      const job = getDenoiser().sample(
        { prompt: [], genLength: 1 },
        options,
        (record, timing) => {
          own.push(record);
          pending.records.push(record);
          pending.ms.push(timing.ms);
          modelCalls = timing.calls;
          if (timing.reused) reused++;
          if (timer === null) timer = setTimeout(flush, FLUSH_MS);
        },
        { from: { state: start.state, callOffset: start.callOffset }, cache: 'use' },
      );
      try {
        const { trace: partial, calls } = await job.done;
        if (timer !== null) clearTimeout(timer);
        modelCalls = calls;
        if (!partial) throw new Error('the branch was stopped because another model was loaded');
        const trace = branchTrace(source, options, start, own, ids);
        write({ status: 'done', trace });
      } catch (e) {
        if (timer !== null) clearTimeout(timer);
        write({ status: 'error', error: (e as Error).message });
      }
    },

    showNode(id, slot) {
      const s = get();
      const node = s.tree && nodeById(s.tree, id);
      if (!node) return;
      const shown = tagged(node.run, id, slot);
      const a = s.runs.find((r) => r.key === 'a');
      let runs: GenerationRun[];
      if (slot === 'a') {
        const b = s.runs.find((r) => r.key === 'b' && nodeIdOf(r) !== id);
        runs = b ? [shown, b] : [shown];
      } else {
        runs = a && nodeIdOf(a) !== id ? [a, shown] : [shown];
        if (runs.length === 1) runs = [tagged(node.run, id, 'a')];
      }
      const longest = Math.max(...runs.map((r) => r.records.length));
      set({ runs, frame: Math.min(s.frame, longest), playing: false, waitingForFrame: null });
    },

    closeSideBySide() {
      const runs = get().runs.filter((r) => r.key === 'a');
      set({ runs, playing: false });
    },
  };
};

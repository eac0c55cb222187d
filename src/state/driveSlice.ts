/**
 * Be the sampler in the store: a person's run (humanSession.ts) shown as run A while it is made,
 * its model calls through the inference worker (and its logits cache), and at the end the same
 * start run by a strategy of the person's choice, shown beside it as run B and compared in
 * numbers (core/evaluation/runComparison.ts: calls, the corpus oracle, where they differ).
 */
import type { StateCreator } from 'zustand';
import { compareRuns, type RunComparison } from '../core/evaluation/runComparison';
import type { AutomaticStrategyName } from '../core/sampler';
import { packageCorpus } from '../model/packageCorpus';
import { getDenoiser } from './denoiserInstance';
import { runFromTrace, type GenerationRun } from './generationRun';
import type { GenerationSlice } from './generationSlice';
import type { ModelSlice } from './modelSlice';
import { vocabularyOf } from './modelVocabulary';
import { planRuns } from './runPlan';
import {
  commit,
  humanOptions,
  modelCall,
  receive,
  sessionTrace,
  startSession,
  toggle,
  typeAt,
  type HumanSession,
} from './humanSession';

export type DriveStatus = 'calling' | 'deciding' | 'done' | 'error';

export interface DriveComparison {
  strategy: AutomaticStrategyName;
  status: 'running' | 'done' | 'error';
  error: string | null;
  result: RunComparison | null;
  /** Whether the loaded model has an exact oracle (its toy corpus) to judge the sentences. */
  judged: boolean;
}

export interface Drive {
  session: HumanSession;
  status: DriveStatus;
  error: string | null;
  /** Calls that reached the model, and calls the logits cache answered. */
  modelCalls: number;
  reused: number;
  comparison: DriveComparison | null;
}

export interface DriveSlice {
  /** The person's run in progress or finished; null when the mode is off. */
  drive: Drive | null;
  /** Starts a person's run from the configured window (run A's prompt, pins and length). */
  startDriving: () => Promise<void>;
  stopDriving: () => void;
  /** Choose or unchoose a masked position at the waiting call. */
  driveToggle: (position: number) => void;
  /** Write a word of the vocabulary at a masked position (chosen with it). */
  driveType: (position: number, token: number) => void;
  /** Commit the chosen positions and call the model again (or end when nothing is masked). */
  driveCommit: () => Promise<void>;
  /** Runs `strategy` from the same start and compares it with the person's finished run. */
  driveCompare: (strategy: AutomaticStrategyName) => Promise<void>;
}

type Store = ModelSlice & GenerationSlice & DriveSlice;

/** The person's run as a run of the generation view. */
function humanRun(s: HumanSession, status: GenerationRun['status'], modelCalls: number) {
  const trace = status === 'done' ? sessionTrace(s) : null;
  const run: GenerationRun = {
    key: 'a',
    source: 'human',
    fileName: null,
    options: s.options,
    vocabSize: s.vocabSize,
    maskId: s.state.maskId,
    promptLength: s.state.promptLength,
    initial: s.initial,
    pinned: s.pinned,
    records: s.records,
    callMs: s.records.map(() => Number.NaN),
    modelCalls,
    status,
    error: null,
    trace,
  };
  return run;
}

export const createDriveSlice: StateCreator<Store, [], [], DriveSlice> = (set, get) => {
  // Bumped when a run starts or stops: an answer for an older run is dropped.
  let session = 0;

  const update = (change: Partial<Drive>) => {
    const drive = get().drive;
    if (!drive) return;
    const next = { ...drive, ...change };
    const status = next.status === 'done' ? 'done' : next.status === 'error' ? 'error' : 'running';
    // The run on screen changes only with a record, the status or the count (not with a choice
    // being made), so choosing does not redraw the run's strip and history.
    const shown = get().runs[0];
    const same =
      shown?.source === 'human' &&
      shown.records === next.session.records &&
      shown.status === status &&
      shown.modelCalls === next.modelCalls;
    const run = same ? shown : humanRun(next.session, status, next.modelCalls);
    set((s) => ({
      drive: next,
      runs: [run, ...s.runs.filter((r) => r.key === 'b' && next.comparison?.status === 'done')],
      // A new record is shown at once; a choice leaves the frame where the person put it.
      ...(same ? {} : { frame: run.records.length, playing: false, waitingForFrame: null }),
    }));
  };

  async function callModel(id: number): Promise<void> {
    const drive = get().drive;
    const input = drive && modelCall(drive.session);
    if (!drive || !input) return;
    update({ status: 'calling' });
    try {
      const answer = await getDenoiser().logitsVia(input.tokens, 1, input.t, 'use');
      if (id !== session) return;
      const now = get().drive!;
      update({
        session: receive(now.session, answer.logits),
        status: 'deciding',
        modelCalls: now.modelCalls + (answer.reused ? 0 : 1),
        reused: now.reused + (answer.reused ? 1 : 0),
      });
    } catch (e) {
      if (id === session) update({ status: 'error', error: (e as Error).message });
    }
  }

  return {
    drive: null,

    async startDriving() {
      const { manifest, config } = get();
      if (!manifest) return;
      const vocab = vocabularyOf(manifest);
      if (!vocab) return;
      // The window of run A's settings: its prompt, pinned words and [EOS] tail.
      const plan = planRuns(
        { ...config, sideBySide: false },
        {
          vocab,
          seqLen: manifest.seqLen,
          timeConditioned: manifest.io.t !== null,
          kind: manifest.kind,
        },
      );
      const id = ++session;
      const planned = plan.runs[0];
      if (!planned) {
        set({
          generationError: plan.problems.map((p) => p.message).join('\n') || 'Nothing to run.',
        });
        return;
      }
      const options = humanOptions(
        config.seed,
        manifest.io.t !== null,
        manifest.special.eos ?? null,
      );
      const start = startSession(
        planned.init,
        options,
        manifest.special.mask,
        manifest.vocab.length,
      );
      set({
        drive: {
          session: start,
          status: 'calling',
          error: null,
          modelCalls: 0,
          reused: 0,
          comparison: null,
        },
        // The mode and its run appear in one update: the view never sees one without the other.
        runs: [humanRun(start, 'running', 0)],
        frame: 0,
        playing: false,
        waitingForFrame: null,
        generationError: null,
      });
      await callModel(id);
    },

    stopDriving() {
      session++;
      set({ drive: null });
    },

    driveToggle(position) {
      const drive = get().drive;
      if (drive?.status !== 'deciding') return;
      update({ session: toggle(drive.session, position) });
    },

    driveType(position, token) {
      const drive = get().drive;
      if (drive?.status !== 'deciding') return;
      update({ session: typeAt(drive.session, position, token) });
    },

    async driveCommit() {
      const drive = get().drive;
      if (drive?.status !== 'deciding') return;
      let next: HumanSession;
      try {
        next = commit(drive.session);
      } catch (e) {
        update({ error: (e as Error).message });
        return;
      }
      if (next.state.done) {
        update({ session: next, status: 'done', error: null });
        return;
      }
      update({ session: next, status: 'calling', error: null });
      await callModel(session);
    },

    async driveCompare(strategy) {
      const { drive, manifest, config } = get();
      if (!drive || drive.status !== 'done' || !manifest) return;
      const vocab = vocabularyOf(manifest);
      if (!vocab) return;
      const corpus = packageCorpus(manifest);
      const judge = corpus ? (ids: readonly number[]) => corpus.isValidWindow(ids) : null;
      const comparison: DriveComparison = {
        strategy,
        status: 'running',
        error: null,
        result: null,
        judged: judge !== null,
      };
      const plan = planRuns(
        { ...config, sideBySide: false, a: { ...config.a, strategy } },
        {
          vocab,
          seqLen: manifest.seqLen,
          timeConditioned: manifest.io.t !== null,
          kind: manifest.kind,
        },
      );
      const planned = plan.runs[0];
      if (!planned) {
        update({
          comparison: {
            ...comparison,
            status: 'error',
            error: plan.problems.map((p) => p.message).join(' '),
          },
        });
        return;
      }
      const id = session;
      update({ comparison });
      let modelCalls = 0;
      try {
        // Through the cache: where the strategy gives the model a window the person already
        // did, with the same t, it reads the same logits instead of calling again.
        const job = getDenoiser().sample(
          planned.init,
          planned.options,
          (_, timing) => {
            modelCalls = timing.calls;
          },
          { cache: 'use' },
        );
        const { trace } = await job.done;
        if (id !== session || !get().drive) return;
        if (!trace) throw new Error('stopped because another model was loaded');
        const mine = sessionTrace(get().drive!.session);
        const result = compareRuns(mine, trace, judge);
        const other: GenerationRun = {
          ...runFromTrace(trace, {
            key: 'b',
            source: 'model',
            callMs: trace.records.map(() => Number.NaN),
          }),
          modelCalls,
        };
        const now = get().drive!;
        const done = { ...comparison, status: 'done' as const, result };
        // Both at their ends; the transport replays them side by side.
        set((s) => ({
          drive: { ...now, comparison: done },
          runs: [...s.runs.filter((r) => r.key === 'a'), other],
          frame: Math.max(mine.records.length, trace.records.length),
          playing: false,
          waitingForFrame: null,
        }));
      } catch (e) {
        if (id === session)
          update({ comparison: { ...comparison, status: 'error', error: (e as Error).message } });
      }
    },
  };
};

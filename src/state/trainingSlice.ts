import type { StateCreator } from 'zustand';
import { parseManifest } from '../model/manifest';
import type { LoadedPackage } from '../runtime/modelPackage';
import {
  deleteRun,
  listStoredRuns,
  type StoredRun,
  type UnreadableRun,
} from '../train/checkpointStore';
import type { RatioBucket } from '../train/lossByMaskingRatio';
import { withLosses, type HistoryPoint } from '../train/lossHistory';
import {
  isMidRunField,
  pickMidRunSettings,
  stepsBehind,
  withMidRunSettings,
} from '../train/midRunSettings';
import { settingsProblems } from '../train/settingsProblems';
import { isSoftwareAdapter } from '../train/trainerKernels';
import {
  deviceBufferLimits,
  limitsForBackend,
  memoryBudget,
  type AdapterProbe,
  type TrainingLimits,
} from '../train/trainingLimits';
import {
  type BackendKind,
  DEFAULT_SETTINGS,
  type ExportedPackage,
  type FromWorker,
  type ToWorker,
  type DecodedSamples,
  type TrainingSettings,
} from '../train/trainingProtocol';
import {
  announceRun,
  claimRun,
  newTrainingRunId,
  releaseRun,
  runsHeldElsewhere,
  watchRelease,
  type RunNews,
} from './trainingPresence';

export type TrainingStatus =
  'idle' | 'starting' | 'running' | 'pausing' | 'paused' | 'finished' | 'error';

export interface TrainingState {
  status: TrainingStatus;
  settings: TrainingSettings;
  /** The backend that really runs, and why it was chosen. */
  backend: BackendKind | null;
  backendNote: string | null;
  parameters: number;
  step: number;
  /** The worker's bounded loss history, mirrored: the same points thinned the same way. */
  history: readonly HistoryPoint[];
  /** The recent loss per masking-ratio bucket; empty before the run's first report. */
  ratioLoss: RatioBucket[];
  stepsPerSecond: number;
  tokensPerSecond: number;
  etaSeconds: number | null;
  samples: DecodedSamples | null;
  /** Each set of samples' grammatical count, for the curve beside the reference run's. */
  grammatical: GrammaticalPoint[];
  /** Seconds this tab has spent training the run (pauses left out). */
  trainedSeconds: number;
  checkpointStep: number | null;
  /** This tab's run: its identity in storage (checkpointStore.ts), null before Start. */
  runId: string | null;
  /** Runs stored in IndexedDB that no tab holds, newest first, offered as "Resume training". */
  stored: StoredRun[];
  /** The stored run whose settings fill the fields (the newest), if any. */
  settingsFrom: string | null;
  /** Runs another tab holds (trainingPresence.ts), with their latest step. */
  elsewhere: { runId: string; step: number | null; steps: number | null; status: string }[];
  /** Stored runs that do not read back whole: never offered, named here. */
  unreadable: UnreadableRun[];
  /** What the page knows of the WebGPU adapter, for the settings' limits (null: not yet). */
  adapter: AdapterProbe | null;
  /** Why training stopped (non-finite loss, lost device) or failed. */
  message: string | null;
  exporting: 'use' | 'download' | null;
  /** The title of the last package handed to the inference worker. */
  handedOff: string | null;
}

/** Whether the run's loop is going (or about to): the fields that shape a step are locked. */
export const isTrainingBusy = (t: TrainingState) =>
  t.status === 'starting' || t.status === 'running' || t.status === 'pausing';

export interface GrammaticalPoint {
  step: number;
  valid: number;
  total: number;
}

export interface TrainingSlice {
  training: TrainingState;
  setTrainingSettings: (patch: Partial<TrainingSettings>) => void;
  startTraining: () => void;
  pauseTraining: () => void;
  resumeTraining: () => void;
  /** Discards this tab's run and its checkpoint (the panel asks first). */
  resetTraining: () => void;
  /** Looks for stored runs in IndexedDB (on load, and when another tab's run moves on). */
  findStoredCheckpoint: () => Promise<void>;
  /** Continues a stored run; the fields' mid-run settings apply to the run they were read from. */
  resumeStoredCheckpoint: (runId?: string) => Promise<void>;
  /** Deletes a stored run no tab holds (the panel asks first). */
  discardStoredRun: (runId: string) => Promise<void>;
  /** What another tab says about its run (BroadcastChannel). */
  noteRunNews: (news: RunNews) => void;
  /** Asks the browser for the WebGPU adapter's limits, once. */
  probeTrainingAdapter: () => Promise<void>;
  useTrainedModel: () => void;
  downloadTrainedModel: () => void;
  /** Opens (or downloads) a stored run's model from its checkpoint, without resuming it. */
  exportStoredRun: (runId: string, purpose: 'use' | 'download') => void;
  /** Fault injection for tests: the worker's GPU device is destroyed as if the driver lost it. */
  loseTrainingDevice: () => void;
}

/** What the training slice needs from the model slice: loading a package into the views. */
interface WithOpenPackage {
  openPackage: (pkg: LoadedPackage) => Promise<void>;
}

const initialState: TrainingState = {
  status: 'idle',
  settings: DEFAULT_SETTINGS,
  backend: null,
  backendNote: null,
  parameters: 0,
  step: 0,
  history: [],
  ratioLoss: [],
  stepsPerSecond: 0,
  tokensPerSecond: 0,
  etaSeconds: null,
  samples: null,
  grammatical: [],
  trainedSeconds: 0,
  checkpointStep: null,
  runId: null,
  stored: [],
  settingsFrom: null,
  elsewhere: [],
  unreadable: [],
  adapter: null,
  message: null,
  exporting: null,
  handedOff: null,
};

function saveFile(name: string, data: BlobPart, type: string) {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export const createTrainingSlice: StateCreator<
  TrainingSlice & WithOpenPackage,
  [],
  [],
  TrainingSlice
> = (set, get) => {
  let worker: Worker | null = null;
  const patch = (p: Partial<TrainingState>) => set((s) => ({ training: { ...s.training, ...p } }));
  let lastTold = 0;
  /** The training clock: seconds banked by earlier stretches, and when this one began. */
  let bankedSeconds = 0;
  let stretchStart: number | null = null;
  const clockNow = () =>
    bankedSeconds + (stretchStart === null ? 0 : (performance.now() - stretchStart) / 1000);
  const startClock = () => {
    if (stretchStart === null) stretchStart = performance.now();
  };
  const resetClock = () => {
    bankedSeconds = 0;
    stretchStart = null;
  };
  const stopClock = () => {
    bankedSeconds = clockNow();
    stretchStart = null;
    return bankedSeconds;
  };
  /** Whether the person has typed into the fields: a stored run's settings then never replace them. */
  let fieldsEdited = false;
  /** Tells the other tabs where this tab's run is (progress at most once a second). */
  const tell = (always = true) => {
    const t = get().training;
    if (t.runId === null) return;
    const now = Date.now();
    if (!always && now - lastTold < 1000) return;
    lastTold = now;
    announceRun({ runId: t.runId, step: t.step, steps: t.settings.steps, status: t.status });
  };

  async function receive(m: FromWorker) {
    const t = get().training;
    switch (m.type) {
      case 'started':
        startClock();
        patch({
          status: 'running',
          backend: m.backend,
          backendNote: m.backendNote,
          settings: m.settings,
          parameters: m.parameters,
          step: m.step,
          history: m.history,
          ratioLoss: m.ratioLoss,
          message: null,
        });
        tell();
        return;
      case 'progress':
        // One store update per report (the worker batches steps, checkpoints and samples).
        patch({
          step: m.step,
          // A copy of at most LOSS_HISTORY_CAP points per report, not of every step so far.
          history: withLosses(t.history, m.points),
          ratioLoss: m.ratioLoss,
          stepsPerSecond: m.stepsPerSecond,
          tokensPerSecond: m.tokensPerSecond,
          etaSeconds: m.etaSeconds,
          ...(m.checkpointStep !== null && { checkpointStep: m.checkpointStep }),
          ...(m.samples && {
            samples: m.samples,
            grammatical: [...t.grammatical, { step: m.samples.step, ...m.samples.judged }],
          }),
          trainedSeconds: clockNow(),
        });
        tell(false);
        return;
      case 'paused':
        patch({
          status: 'paused',
          step: m.step,
          message: m.reason ?? t.message,
          trainedSeconds: stopClock(),
        });
        tell();
        return;
      case 'finished':
        patch({ status: 'finished', step: m.step, etaSeconds: 0, trainedSeconds: stopClock() });
        tell();
        return;
      case 'rolledBack':
        patch({
          trainedSeconds: stopClock(),
          status: 'paused',
          step: m.step,
          history: m.history,
          ratioLoss: m.ratioLoss,
          message: m.message,
        });
        tell();
        return;
      case 'reset': {
        const id = t.runId;
        resetClock();
        patch({ ...initialState, settings: t.settings, adapter: t.adapter });
        if (id !== null) {
          announceRun({ runId: id, step: 0, steps: 0, status: 'idle' });
          releaseRun(id);
        }
        await get().findStoredCheckpoint();
        return;
      }
      case 'error':
        stopClock();
        patch({
          status: t.status === 'running' || t.status === 'starting' ? 'error' : t.status,
          message: m.message,
          exporting: null,
        });
        return;
      case 'exported':
        await handOff(m.pkg, t.exporting);
        return;
    }
  }

  async function handOff(pkg: ExportedPackage, purpose: TrainingState['exporting']) {
    patch({ exporting: null });
    if (purpose === 'download') {
      saveFile(pkg.files.onnx, pkg.onnx, 'application/octet-stream');
      saveFile(pkg.files.manifest, pkg.manifestJson, 'application/json');
      return;
    }
    const manifest = parseManifest(JSON.parse(pkg.manifestJson));
    await get().openPackage({ manifest, onnx: pkg.onnx, source: 'trained in this page' });
    patch({ handedOff: manifest.title });
  }

  function send(message: ToWorker) {
    if (!worker) {
      worker = new Worker(new URL('../train/trainingWorker.ts', import.meta.url), {
        type: 'module',
      });
      worker.onmessage = (e: MessageEvent<FromWorker>) => {
        receive(e.data).catch((err: unknown) =>
          patch({ message: err instanceof Error ? err.message : String(err), exporting: null }),
        );
      };
      worker.onerror = (e) => patch({ status: 'error', message: e.message || 'the worker failed' });
    }
    worker.postMessage(message);
  }

  return {
    training: initialState,
    setTrainingSettings(p) {
      const t = get().training;
      // Once a run exists only the settings it can take on mid-run change (midRunSettings.ts).
      if (t.status === 'idle') fieldsEdited = true;
      patch({
        settings: t.status === 'idle' ? { ...t.settings, ...p } : withMidRunSettings(t.settings, p),
      });
    },
    startTraining() {
      const t = get().training;
      const problems = trainingSettingsProblems(t);
      if (problems.length > 0) {
        patch({ message: problems.map((p) => p.message).join(' ') });
        return;
      }
      // A run of its own in storage: it never overwrites another run, here or in another tab.
      const runId = newTrainingRunId();
      void claimRun(runId);
      resetClock();
      patch({
        ...initialState,
        settings: t.settings,
        adapter: t.adapter,
        stored: t.stored,
        elsewhere: t.elsewhere,
        runId,
        status: 'starting',
      });
      send({ type: 'start', settings: t.settings, runId });
    },
    pauseTraining() {
      patch({ status: 'pausing' });
      send({ type: 'pause' });
    },
    resumeTraining() {
      const t = get().training;
      const problems = trainingSettingsProblems(t);
      if (problems.length > 0) {
        patch({ message: problems.map((p) => p.message).join(' ') });
        return;
      }
      patch({ status: 'running', message: null });
      startClock();
      send({ type: 'resume', settings: pickMidRunSettings(t.settings) });
    },
    resetTraining() {
      send({ type: 'reset' });
    },
    async findStoredCheckpoint() {
      try {
        const [{ runs, unreadable }, heldElsewhere] = await Promise.all([
          listStoredRuns(),
          runsHeldElsewhere(),
        ]);
        const t = get().training;
        const stored = runs.filter((r) => r.runId !== t.runId && !heldElsewhere.has(r.runId));
        const known = new Map(t.elsewhere.map((e) => [e.runId, e]));
        const elsewhere = [...heldElsewhere].map((runId) => {
          const saved = runs.find((r) => r.runId === runId);
          const live = known.get(runId);
          return {
            runId,
            step: live?.step ?? saved?.step ?? null,
            steps: live?.steps ?? saved?.steps ?? null,
            status: live?.status ?? 'running',
          };
        });
        // When the other tab lets a run go (or closes), this tab offers it.
        for (const id of heldElsewhere) watchRelease(id, () => void get().findStoredCheckpoint());
        const newest = stored[0] ?? null;
        // The fields show the newest stored run's settings while nothing runs here, so a
        // resume (with a rescued learning rate, say) starts from what it had.
        const fill =
          t.status === 'idle' &&
          !fieldsEdited &&
          newest !== null &&
          t.settingsFrom !== newest.runId;
        patch({
          stored,
          elsewhere,
          unreadable: unreadable.filter((u) => !heldElsewhere.has(u.runId)),
          ...(fill ? { settings: newest.settings, settingsFrom: newest.runId } : {}),
          ...(t.status === 'idle' && newest === null ? { settingsFrom: null } : {}),
        });
      } catch (e) {
        patch({ message: `The saved runs could not be read: ${(e as Error).message}` });
      }
    },
    async resumeStoredCheckpoint(runId = get().training.stored[0]?.runId) {
      const t = get().training;
      if (!runId) return;
      if (!(await claimRun(runId))) {
        patch({ message: 'This run is going on in another tab: it cannot be resumed here too.' });
        await get().findStoredCheckpoint();
        return;
      }
      // The fields' mid-run settings (a lower learning rate, more steps) apply to the run they
      // were read from; another stored run continues with its own.
      const own = runId === t.settingsFrom;
      if (own) {
        const problems = settingsProblems(t.settings, limitsOf(t)).filter((p) =>
          isMidRunField(p.field),
        );
        const at = t.stored.find((r) => r.runId === runId)?.step ?? 0;
        if (problems.length === 0 && t.settings.steps < at) {
          problems.push({
            field: 'steps',
            message: stepsBehind('the stored run', at, t.settings.steps),
          });
        }
        if (problems.length > 0) {
          releaseRun(runId);
          patch({ message: problems.map((p) => p.message).join(' ') });
          return;
        }
      }
      resetClock();
      patch({ status: 'starting', runId, message: null });
      send({
        type: 'resumeCheckpoint',
        runId,
        ...(own ? { settings: pickMidRunSettings(t.settings) } : {}),
      });
    },
    async discardStoredRun(runId) {
      if (!(await claimRun(runId))) {
        patch({ message: 'This run is going on in another tab: it cannot be discarded here.' });
        await get().findStoredCheckpoint();
        return;
      }
      try {
        await deleteRun(runId);
      } finally {
        releaseRun(runId);
      }
      if (get().training.settingsFrom === runId) patch({ settingsFrom: null });
      await get().findStoredCheckpoint();
    },
    noteRunNews(news) {
      const t = get().training;
      if (news.runId === t.runId) return;
      const known = t.elsewhere.some((e) => e.runId === news.runId);
      if (known && news.status !== 'idle') {
        patch({
          elsewhere: t.elsewhere.map((e) =>
            e.runId === news.runId
              ? { ...e, step: news.step, steps: news.steps, status: news.status }
              : e,
          ),
        });
        return;
      }
      // A run started, ended or changed hands: read the store and the locks again.
      void get().findStoredCheckpoint();
    },
    async probeTrainingAdapter() {
      if (get().training.adapter) return;
      let probe: AdapterProbe = { device: null, software: false };
      try {
        const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
        const adapter = gpu ? await gpu.requestAdapter() : null;
        if (adapter) {
          probe = {
            device: deviceBufferLimits(adapter),
            software: isSoftwareAdapter(adapter.info),
          };
        }
      } catch {
        // No adapter: the CPU reference's memory budget alone bounds the batch.
      }
      patch({ adapter: probe });
    },
    useTrainedModel() {
      patch({ exporting: 'use' });
      send({ type: 'export' });
    },
    downloadTrainedModel() {
      patch({ exporting: 'download' });
      send({ type: 'export' });
    },
    exportStoredRun(runId, purpose) {
      patch({ exporting: purpose, message: null });
      send({ type: 'exportCheckpoint', runId });
    },
    loseTrainingDevice() {
      send({ type: 'loseDevice' });
    },
  };
};

/** The limits of a run with these settings here (null until the adapter is known). */
function limitsOf(t: TrainingState): TrainingLimits | null {
  if (!t.adapter) return null;
  const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return limitsForBackend(t.settings.backend, t.adapter, memoryBudget(deviceMemory));
}

/** The settings' problems against this machine's limits (what the panel lists as typed). */
export function trainingSettingsProblems(t: TrainingState) {
  const problems = settingsProblems(t.settings, limitsOf(t));
  const { steps } = t.settings;
  if (t.status !== 'idle' && Number.isInteger(steps) && steps >= 1 && steps < t.step) {
    problems.push({ field: 'steps', message: stepsBehind('the run', t.step, steps) });
  }
  return problems;
}

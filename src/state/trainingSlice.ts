import type { StateCreator } from 'zustand';
import { parseManifest } from '../model/manifest';
import type { LoadedPackage } from '../runtime/modelPackage';
import { loadCheckpoint } from '../train/checkpointStore';
import type { RatioBucket } from '../train/lossByMaskingRatio';
import {
  type BackendKind,
  DEFAULT_SETTINGS,
  type ExportedPackage,
  type FromWorker,
  type LossPoint,
  type ToWorker,
  type TrainingSample,
  type TrainingSettings,
} from '../train/trainingProtocol';

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
  history: LossPoint[];
  /** The recent loss per masking-ratio bucket; empty before the run's first report. */
  ratioLoss: RatioBucket[];
  stepsPerSecond: number;
  tokensPerSecond: number;
  etaSeconds: number | null;
  samples: { step: number; samples: TrainingSample[] } | null;
  checkpointStep: number | null;
  /** A checkpoint found in IndexedDB on load, offered as "Resume training". */
  stored: { step: number; steps: number; preset: string; backend: string } | null;
  /** Why training stopped (non-finite loss, lost device) or failed. */
  message: string | null;
  exporting: 'use' | 'download' | null;
  /** The title of the last package handed to the inference worker. */
  handedOff: string | null;
}

export interface TrainingSlice {
  training: TrainingState;
  setTrainingSettings: (patch: Partial<TrainingSettings>) => void;
  startTraining: () => void;
  pauseTraining: () => void;
  resumeTraining: () => void;
  resetTraining: () => void;
  /** Looks for a checkpoint in IndexedDB (on load) to offer resuming it. */
  findStoredCheckpoint: () => Promise<void>;
  resumeStoredCheckpoint: () => void;
  useTrainedModel: () => void;
  downloadTrainedModel: () => void;
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
  checkpointStep: null,
  stored: null,
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

  async function receive(m: FromWorker) {
    const t = get().training;
    switch (m.type) {
      case 'started':
        patch({
          status: 'running',
          backend: m.backend,
          backendNote: m.backendNote,
          settings: m.settings,
          parameters: m.parameters,
          step: m.step,
          history: m.history,
          ratioLoss: m.ratioLoss,
          stored: null,
          message: null,
        });
        return;
      case 'progress':
        // One store update per report (the worker batches steps, checkpoints and samples).
        patch({
          step: m.step,
          history: m.points.length ? [...t.history, ...m.points] : t.history,
          ratioLoss: m.ratioLoss,
          stepsPerSecond: m.stepsPerSecond,
          tokensPerSecond: m.tokensPerSecond,
          etaSeconds: m.etaSeconds,
          ...(m.checkpointStep !== null && { checkpointStep: m.checkpointStep }),
          ...(m.samples && { samples: m.samples }),
        });
        return;
      case 'paused':
        patch({ status: 'paused', step: m.step, message: m.reason ?? t.message });
        return;
      case 'finished':
        patch({ status: 'finished', step: m.step, etaSeconds: 0 });
        return;
      case 'rolledBack':
        patch({
          status: 'paused',
          step: m.step,
          history: m.history,
          ratioLoss: m.ratioLoss,
          message: m.message,
        });
        return;
      case 'reset':
        patch({ ...initialState, settings: t.settings });
        return;
      case 'error':
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
      saveFile('model.onnx', pkg.onnx, 'application/octet-stream');
      saveFile('manifest.json', pkg.manifestJson, 'application/json');
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
      patch({ settings: { ...get().training.settings, ...p } });
    },
    startTraining() {
      patch({
        ...initialState,
        settings: get().training.settings,
        status: 'starting',
      });
      send({ type: 'start', settings: get().training.settings });
    },
    pauseTraining() {
      patch({ status: 'pausing' });
      send({ type: 'pause' });
    },
    resumeTraining() {
      patch({ status: 'running', message: null });
      send({ type: 'resume' });
    },
    resetTraining() {
      send({ type: 'reset' });
    },
    async findStoredCheckpoint() {
      try {
        const c = await loadCheckpoint();
        if (!c || get().training.status !== 'idle') return;
        patch({
          stored: {
            step: c.step,
            steps: c.settings.steps,
            preset: c.settings.preset,
            backend: c.backend,
          },
          settings: c.settings,
        });
      } catch (e) {
        patch({ message: `The saved checkpoint could not be read: ${(e as Error).message}` });
      }
    },
    resumeStoredCheckpoint() {
      patch({ status: 'starting', stored: null });
      send({ type: 'resumeCheckpoint', steps: get().training.settings.steps });
    },
    useTrainedModel() {
      patch({ exporting: 'use' });
      send({ type: 'export' });
    },
    downloadTrainedModel() {
      patch({ exporting: 'download' });
      send({ type: 'export' });
    },
    loseTrainingDevice() {
      send({ type: 'loseDevice' });
    },
  };
};

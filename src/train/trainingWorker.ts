/// <reference lib="webworker" />
/**
 * The training worker: the loop runs here so the page stays responsive. It picks the backend
 * (WebGPU through navigator.gpu in this worker, or the CPU reference), drives a TrainingRun,
 * writes checkpoints to IndexedDB itself, and posts batched progress to the page
 * (trainingProtocol.ts).
 */
import type { ParameterLayout } from '../model/parameterLayout';
import {
  deleteRun,
  loadCheckpoint,
  saveCheckpoint,
  type TrainingCheckpoint,
} from './checkpointStore';
import type { StepBackend } from './cpuStepBackend';
import type { FromGradientWorker, GradientWorkerLink } from './gradientShards';
import { createGpuTrainer } from './gpuTrainer';
import { ratioBuckets } from './lossByMaskingRatio';
import { buildTrainedPackage } from './trainedPackage';
import { isSoftwareAdapter, trainerDeviceFeatures } from './trainerKernels';
import { TrainingRun } from './trainingRun';
import { createCpuBackend, freshParameters, gpuTrainerOptions, runModel } from './runSetup';
import {
  type BackendKind,
  type FromWorker,
  type ToWorker,
  type TrainingSettings,
} from './trainingProtocol';
import { stepsBehind, withMidRunSettings, type MidRunSettings } from './midRunSettings';
import { checkSettings } from './settingsProblems';
import {
  batchProblem,
  deviceBufferLimits,
  memoryBudget,
  type TrainingLimits,
} from './trainingLimits';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker, transfer: Transferable[] = []) =>
  scope.postMessage(message, transfer);

interface Backend {
  backend: StepBackend;
  kind: BackendKind;
  note: string;
  device: GPUDevice | null;
}

let run: TrainingRun | null = null;
/** The storage identity of the run (checkpointStore.ts): the page names it, per tab. */
let runId: string | null = null;
let current: Backend | null = null;
let loop: Promise<void> | null = null;
/** Set when the GPU device was lost; Resume then rebuilds the backend on a new device. */
let deviceLost = false;

async function webGpuBackend(
  layout: ParameterLayout,
  params: Float32Array,
  settings: TrainingSettings,
  choice: 'auto' | 'webgpu',
): Promise<Backend | string> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return 'this browser has no WebGPU';
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (!adapter) return 'WebGPU found no adapter';
  const software = isSoftwareAdapter(adapter.info);
  const buffers = deviceBufferLimits(adapter);
  if (choice === 'auto' && software) {
    return `the WebGPU adapter (${buffers.name}) is a software one, slower than the CPU reference`;
  }
  // The batch was checked against this adapter's buffer limits (trainingLimits.ts): ask for
  // them, not WebGPU's smaller defaults, and check again before allocating anything.
  const limits: TrainingLimits = { device: buffers, memory: workerMemoryBudget() };
  const tooLarge = batchProblem(layout, layout.config.seqLen, settings.batch, limits);
  if (tooLarge) throw new Error(tooLarge);
  // Subgroups where offered: the software adapter's matmul shares its loads through them.
  const device = await adapter.requestDevice({
    requiredFeatures: trainerDeviceFeatures(adapter),
    requiredLimits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  });
  device.addEventListener('uncapturederror', (event) => {
    const error = (event as GPUUncapturedErrorEvent).error;
    post({ type: 'error', message: `WebGPU error: ${error.message}` });
  });
  const backend = await createGpuTrainer(device, layout, params, gpuTrainerOptions(settings));
  void device.lost.then((info) => {
    // destroyBackend lets go of `current` first, so only a loss we did not ask for counts.
    if (current?.device !== device) return;
    deviceLost = true;
    run?.requestStop();
    post({
      type: 'paused',
      step: run?.step ?? 0,
      reason: `The GPU device was lost (${info.message || 'no reason given'}). Press Resume to continue from the last checkpoint on a new device.`,
    });
  });
  return {
    backend,
    kind: 'webgpu',
    note: `WebGPU on ${name}${software ? ' (a software adapter)' : ''}`,
    device,
  };
}

/** The memory budget as this worker's browser reports it (trainingLimits.ts). */
const workerMemoryBudget = () =>
  memoryBudget((navigator as Navigator & { deviceMemory?: number }).deviceMemory);

/** The CPU reference keeps a step's activations too: the batch must fit the memory budget. */
function checkCpuBatch(layout: ParameterLayout, batch: number) {
  const tooLarge = batchProblem(layout, layout.config.seqLen, batch, {
    device: null,
    memory: workerMemoryBudget(),
  });
  if (tooLarge) throw new Error(tooLarge);
}

/** The CPU backend's extra threads: Web Workers started from this worker. */
function startGradientWorkers(count: number): GradientWorkerLink[] {
  return Array.from({ length: count }, () => {
    const worker = new Worker(new URL('./gradientWorker.ts', import.meta.url), { type: 'module' });
    return {
      post: (message) => worker.postMessage(message),
      onReply(handler) {
        worker.onmessage = (e: MessageEvent<FromGradientWorker>) => handler(e.data);
        worker.onerror = (e) => handler({ type: 'error', message: e.message || 'it failed' });
      },
      terminate: () => worker.terminate(),
    };
  });
}

function cpuBackend(
  settings: TrainingSettings,
  layout: ParameterLayout,
  params: Float32Array,
  why: string,
): Backend {
  const { backend, threads } = createCpuBackend(settings, layout, params, {
    hardwareConcurrency: navigator.hardwareConcurrency,
    startWorkers: startGradientWorkers,
  });
  const note = why === 'chosen' ? 'CPU reference (chosen)' : `CPU reference: ${why}`;
  const on = threads > 1 ? ` · ${threads} threads` : '';
  return { backend, kind: 'cpu', note: note + on, device: null };
}

async function createBackend(
  settings: TrainingSettings,
  layout: ParameterLayout,
  params: Float32Array,
): Promise<Backend> {
  if (settings.backend !== 'cpu') {
    const gpu = await webGpuBackend(layout, params, settings, settings.backend);
    if (typeof gpu !== 'string') return gpu;
    checkCpuBatch(layout, settings.batch);
    return cpuBackend(settings, layout, params, gpu);
  }
  checkCpuBatch(layout, settings.batch);
  return cpuBackend(settings, layout, params, 'chosen');
}

function destroyBackend() {
  if (!current) return;
  const { backend, device } = current;
  current = null;
  try {
    backend.destroy();
  } finally {
    device?.destroy();
  }
}

/**
 * A new run `id` from `requested` settings, or (when null) the stored run `id` from its
 * checkpoint, taking on the mid-run settings given (a rescued learning rate, more steps).
 */
async function begin(
  requested: TrainingSettings | null,
  id: string,
  midRun: Partial<MidRunSettings> = {},
) {
  const checkpoint = requested ? null : await loadCheckpoint(id);
  if (!requested && !checkpoint) throw new Error('there is no checkpoint of this run to resume');
  const settings = requested ?? withMidRunSettings(checkpoint!.settings, midRun);
  checkSettings(settings);
  if (checkpoint && settings.steps < checkpoint.step) {
    throw new Error(stepsBehind('the checkpoint', checkpoint.step, settings.steps));
  }
  await launch(settings, id, checkpoint ? { ...checkpoint, settings } : undefined);
}

/** Lets go of the current run: it stops at its next step, and nothing it says is posted. */
async function abandonRun() {
  const old = loop;
  run?.requestStop();
  run = null;
  runId = null;
  loop = null;
  // A loop on a lost device may never finish; give a healthy one a moment to stop cleanly.
  if (old && !deviceLost) await Promise.race([old, new Promise((r) => setTimeout(r, 2000))]);
  destroyBackend();
}

/** Builds a run (fresh, or from a checkpoint) on a new backend and starts its loop. */
async function launch(settings: TrainingSettings, id: string, from?: TrainingCheckpoint) {
  await abandonRun();
  const { corpus, layout } = runModel(settings);
  const params = from?.params ?? freshParameters(settings, layout);
  const backend = await createBackend(settings, layout, params);
  current = backend;
  deviceLost = false;
  const r: TrainingRun = new TrainingRun(
    settings,
    corpus,
    layout,
    backend.backend,
    backend.kind,
    {
      progress: (p) => {
        if (r === run) post({ type: 'progress', ...p });
      },
      async saveCheckpoint(c) {
        if (r !== run) throw new Error('this run was replaced');
        await saveCheckpoint(id, c);
      },
    },
    from,
  );
  run = r;
  runId = id;
  post({
    type: 'started',
    backend: backend.kind,
    backendNote: backend.note,
    settings,
    parameters: layout.total,
    step: r.step,
    history: r.history,
    ratioLoss: ratioBuckets(r.ratioLoss),
  });
  startLoop(r);
}

function startLoop(r: TrainingRun) {
  // The loop's own handle, so a replaced loop finishing late does not clear its successor's.
  const own = { promise: null as Promise<void> | null };
  own.promise = (async () => {
    try {
      const outcome = await r.run();
      if (r !== run) return;
      if (outcome.kind === 'finished') post({ type: 'finished', step: r.step });
      else if (outcome.kind === 'paused') post({ type: 'paused', step: r.step, reason: null });
      else {
        post({
          type: 'rolledBack',
          badStep: outcome.badStep,
          step: r.step,
          history: r.history,
          ratioLoss: ratioBuckets(r.ratioLoss),
          message: `The loss became ${outcome.badLoss} at step ${outcome.badStep}: training stopped and went back to the last good checkpoint (step ${r.step}). Try a lower learning rate.`,
        });
      }
    } catch (e) {
      // A lost device already said so; a replaced run has nothing to say.
      if (r === run && !deviceLost) {
        post({ type: 'error', message: e instanceof Error ? e.message : String(e) });
      }
    } finally {
      if (loop === own.promise) loop = null;
    }
  })();
  loop = own.promise;
}

async function resumeAfterPause(midRun: Partial<MidRunSettings>) {
  const r = run;
  if (!r || runId === null) throw new Error('there is no run to resume');
  // The stretch that was paused ends first (a loop on a lost device may never end: it is
  // replaced instead), so the settings never change under a running loop.
  if (loop && !deviceLost) await loop;
  if (run !== r) return;
  // A rescue: the lower learning rate (or other mid-run setting) is the one the next step uses.
  r.updateSettings(midRun);
  if (deviceLost) {
    // A new device, and the run again from its last checkpoint (steps after it are redone).
    const from = r.latestCheckpoint;
    if (!from) throw new Error('the device was lost before the first checkpoint');
    await launch(r.settings, runId, { ...from, settings: r.settings });
    return;
  }
  if (run === r && !loop) startLoop(r);
}

async function handle(message: ToWorker) {
  switch (message.type) {
    case 'start':
      if (loop) throw new Error('training is already running');
      await begin(message.settings, message.runId);
      return;
    case 'resumeCheckpoint':
      if (loop) throw new Error('training is already running');
      await begin(null, message.runId, message.settings);
      return;
    case 'pause':
      run?.requestStop();
      return;
    case 'resume':
      await resumeAfterPause(message.settings ?? {});
      return;
    case 'reset': {
      const id = runId;
      await abandonRun();
      if (id !== null) await deleteRun(id);
      post({ type: 'reset' });
      return;
    }
    case 'loseDevice':
      if (!current?.device) throw new Error('training does not run on a GPU device');
      current.device.destroy();
      return;
    case 'export': {
      if (!run) throw new Error('nothing has been trained yet');
      postPackage(run.layout, await run.sampledWeights(), run.corpus, {
        settings: run.settings,
        step: run.step,
        history: run.history,
        backend: run.backendName,
      });
      return;
    }
    case 'exportCheckpoint': {
      const checkpoint = await loadCheckpoint(message.runId);
      if (!checkpoint) throw new Error('this run has no checkpoint to open');
      const { corpus, layout } = runModel(checkpoint.settings);
      postPackage(layout, checkpoint.average ?? checkpoint.params, corpus, {
        settings: checkpoint.settings,
        step: checkpoint.step,
        history: checkpoint.history,
        backend: checkpoint.backend,
      });
      return;
    }
  }
}

/** A run's weights as a package (the live run's or a stored checkpoint's), sent to the page. */
function postPackage(...args: Parameters<typeof buildTrainedPackage>) {
  const pkg = buildTrainedPackage(...args);
  post({ type: 'exported', pkg }, [pkg.onnx]);
}

scope.onmessage = (event: MessageEvent<ToWorker>) => {
  handle(event.data).catch((e: unknown) =>
    post({ type: 'error', message: e instanceof Error ? e.message : String(e) }),
  );
};

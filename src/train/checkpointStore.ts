/**
 * Training checkpoints: everything needed to continue a run bit for bit (weights, AdamW's m, v
 * and step, both random streams, the loss history, the settings) as one IndexedDB record. The
 * worker writes it; the page reads it on load to offer "Resume training". IndexedDB is open to
 * both a page and its workers, and stores typed arrays as they are (structured clone).
 */
import type { RngState } from '../core/rng';
import { checkLossByRatio, type LossByRatioState } from './lossByMaskingRatio';
import type { HistoryPoint } from './lossHistory';
import type { TrainingSettings } from './trainingProtocol';
import { checkSettings } from './settingsProblems';

export const CHECKPOINT_FORMAT = 'unmask.training-checkpoint/1';

export interface TrainingCheckpoint {
  settings: TrainingSettings;
  /** Steps taken; the next step is step + 1. */
  step: number;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  /** AdamW updates taken (equals step for a run that started from scratch). */
  optimizerStep: number;
  dataRng: RngState;
  maskRng: RngState;
  /** The bounded loss history (lossHistory.ts). */
  history: HistoryPoint[];
  /** The loss by masking ratio so far; null in checkpoints written before it existed. */
  ratioLoss: LossByRatioState | null;
  /**
   * The moving average of the weights (weightAverage.ts) that samples and exports use; null
   * before its first update and in checkpoints written before it was kept.
   */
  average: Float32Array | null;
  /** Which backend wrote it (a run may continue on another). */
  backend: string;
  savedAt: number;
}

/** The stored form: a format tag, and the losses as columns (smaller than an array of objects). */
export interface StoredCheckpoint {
  format: typeof CHECKPOINT_FORMAT;
  settings: TrainingSettings;
  step: number;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
  optimizerStep: number;
  dataRng: number[];
  maskRng: number[];
  historySteps: Int32Array;
  historyLosses: Float64Array;
  historyLrs: Float64Array;
  /**
   * The steps each point covers (lossHistory.ts); absent in records written before the history
   * was bounded, which kept one point per step.
   */
  historySpans?: Int32Array;
  ratioLoss?: LossByRatioState | null;
  average?: Float32Array | null;
  backend: string;
  savedAt: number;
}

export function serializeCheckpoint(c: TrainingCheckpoint): StoredCheckpoint {
  return {
    format: CHECKPOINT_FORMAT,
    settings: { ...c.settings },
    step: c.step,
    params: c.params.slice(),
    m: c.m.slice(),
    v: c.v.slice(),
    optimizerStep: c.optimizerStep,
    dataRng: [...c.dataRng],
    maskRng: [...c.maskRng],
    historySteps: Int32Array.from(c.history, (p) => p.step),
    historyLosses: Float64Array.from(c.history, (p) => p.loss),
    historyLrs: Float64Array.from(c.history, (p) => p.lr),
    historySpans: Int32Array.from(c.history, (p) => p.span),
    ratioLoss: c.ratioLoss ? structuredClone(c.ratioLoss) : null,
    average: c.average ? c.average.slice() : null,
    backend: c.backend,
    savedAt: c.savedAt,
  };
}

function rngState(value: unknown, name: string): RngState {
  if (
    !Array.isArray(value) ||
    value.length !== 4 ||
    !value.every((x) => Number.isInteger(x) && x >= 0 && x <= 0xffffffff)
  ) {
    throw new Error(`the checkpoint's ${name} is not four uint32 words`);
  }
  return [value[0], value[1], value[2], value[3]] as RngState;
}

/** The checkpoint a stored record holds; throws, saying what is wrong, for anything else. */
export function deserializeCheckpoint(stored: unknown): TrainingCheckpoint {
  const s = stored as Partial<StoredCheckpoint> | null;
  if (!s || typeof s !== 'object' || s.format !== CHECKPOINT_FORMAT) {
    throw new Error(`not a training checkpoint (expected format ${CHECKPOINT_FORMAT})`);
  }
  if (!s.settings) throw new Error('the checkpoint has no settings');
  checkSettings(s.settings);
  const { params, m, v } = s;
  if (!(params instanceof Float32Array && m instanceof Float32Array && v instanceof Float32Array)) {
    throw new Error('the checkpoint must hold params, m and v as Float32Arrays');
  }
  if (m.length !== params.length || v.length !== params.length) {
    throw new Error(`params (${params.length}), m (${m.length}) and v (${v.length}) differ`);
  }
  if (!Number.isInteger(s.step) || s.step! < 0 || !Number.isInteger(s.optimizerStep)) {
    throw new Error('the checkpoint step must be a non-negative integer');
  }
  const { historySteps: hs, historyLosses: hl, historyLrs: hr } = s;
  if (!(hs instanceof Int32Array && hl instanceof Float64Array && hr instanceof Float64Array)) {
    throw new Error('the checkpoint loss history is missing');
  }
  const spans = s.historySpans;
  if (
    hl.length !== hs.length ||
    hr.length !== hs.length ||
    (spans !== undefined && (!(spans instanceof Int32Array) || spans.length !== hs.length))
  ) {
    throw new Error('the checkpoint loss history columns differ in length');
  }
  if (spans?.some((n) => n < 1)) {
    throw new Error('the checkpoint loss history has a point that covers no step');
  }
  const average = s.average ?? null;
  if (average !== null && !(average instanceof Float32Array && average.length === params.length)) {
    throw new Error(
      `the checkpoint's weight average must be a Float32Array of ${params.length} values, like params`,
    );
  }
  const history: HistoryPoint[] = [];
  for (let i = 0; i < hs.length; i++) {
    history.push({ step: hs[i], loss: hl[i], lr: hr[i], span: spans ? spans[i] : 1 });
  }
  return {
    settings: { ...s.settings },
    step: s.step!,
    params,
    m,
    v,
    optimizerStep: s.optimizerStep!,
    dataRng: rngState(s.dataRng, 'data random state'),
    maskRng: rngState(s.maskRng, 'mask random state'),
    history,
    ratioLoss: s.ratioLoss ? checkLossByRatio(s.ratioLoss) : null,
    average,
    backend: String(s.backend ?? ''),
    savedAt: Number(s.savedAt ?? 0),
  };
}

const DB_NAME = 'unmask-training';
/** Version 2 keeps one entry per run (`runs`) pointing at its current checkpoint record. */
const DB_VERSION = 2;
const CHECKPOINTS = 'checkpoints';
const RUNS = 'runs';
/** Version 1's single record, read once as a run of its own. */
const LEGACY_KEY = 'latest';
const LEGACY_RUN_ID = 'earlier-run';

/** What the page shows of a stored run before reading its weights. */
export interface StoredRun {
  runId: string;
  /** The run's settings as last saved (what a resume continues with). */
  settings: TrainingSettings;
  /** The key of the run's current record in the checkpoint store. */
  checkpointKey: string;
  step: number;
  steps: number;
  preset: string;
  corpus: string;
  backend: string;
  savedAt: number;
}

function summary(runId: string, checkpointKey: string, c: TrainingCheckpoint): StoredRun {
  return {
    runId,
    settings: { ...c.settings },
    checkpointKey,
    step: c.step,
    steps: c.settings.steps,
    preset: c.settings.preset,
    corpus: c.settings.corpus,
    backend: c.backend,
    savedAt: c.savedAt,
  };
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, DB_VERSION);
    request.onupgradeneeded = (event) => {
      const db = request.result;
      if (!db.objectStoreNames.contains(CHECKPOINTS)) db.createObjectStore(CHECKPOINTS);
      if (!db.objectStoreNames.contains(RUNS)) db.createObjectStore(RUNS);
      if (event.oldVersion !== 1) return;
      // The one checkpoint version 1 kept becomes a run of its own, so an upgrade loses nothing.
      const tx = request.transaction!;
      const get = tx.objectStore(CHECKPOINTS).get(LEGACY_KEY);
      get.onsuccess = () => {
        if (get.result === undefined) return;
        try {
          const c = deserializeCheckpoint(get.result);
          tx.objectStore(RUNS).put(summary(LEGACY_RUN_ID, LEGACY_KEY, c), LEGACY_RUN_ID);
        } catch {
          // Unreadable: left out, so it is never offered.
        }
      };
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('could not open IndexedDB'));
    request.onblocked = () =>
      reject(new Error('another tab holds an older version of the checkpoint store open'));
  });
}

/**
 * Runs `body` in one transaction over both stores and resolves with its result once the
 * transaction has committed, so nothing is reported saved before it is durable.
 */
async function inTransaction<T>(
  mode: IDBTransactionMode,
  body: (stores: { checkpoints: IDBObjectStore; runs: IDBObjectStore }) => Promise<T> | T,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction([CHECKPOINTS, RUNS], mode);
      let result: T;
      let failed: unknown = null;
      Promise.resolve(
        body({ checkpoints: tx.objectStore(CHECKPOINTS), runs: tx.objectStore(RUNS) }),
      ).then(
        (r) => (result = r),
        (e: unknown) => {
          failed = e;
          tx.abort();
        },
      );
      tx.oncomplete = () => resolve(result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(failed ?? tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** One request's result, inside a transaction. */
function result<T>(request: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });
}

let keyCounter = 0;
/** A key no earlier record of the run has: a new record never overwrites the current one. */
function newCheckpointKey(runId: string, step: number, now = Date.now()): string {
  keyCounter = (keyCounter + 1) % 1_000_000;
  return `${runId}/${step}/${now.toString(36)}-${keyCounter}`;
}

/**
 * Saves a run's checkpoint without ever exposing a partial one: the new record is written under
 * a new key, then the run's entry is switched to it, then the record it replaces is deleted —
 * all in one transaction, which IndexedDB commits whole or not at all. A page closed during the
 * write leaves the run on its previous, whole record. Other runs are not touched.
 */
export async function saveCheckpoint(runId: string, c: TrainingCheckpoint): Promise<void> {
  const stored = serializeCheckpoint(c);
  const key = newCheckpointKey(runId, c.step);
  await inTransaction('readwrite', async ({ checkpoints, runs }) => {
    const previous = (await result(runs.get(runId))) as StoredRun | undefined;
    checkpoints.put(stored, key);
    runs.put(summary(runId, key, c), runId);
    if (previous && previous.checkpointKey !== key) checkpoints.delete(previous.checkpointKey);
  });
}

/** A run's checkpoint, or null when there is none; throws, saying why, for an unreadable one. */
export async function loadCheckpoint(runId: string): Promise<TrainingCheckpoint | null> {
  if (typeof indexedDB === 'undefined') return null;
  const stored = await inTransaction('readonly', async ({ checkpoints, runs }) => {
    const run = (await result(runs.get(runId))) as StoredRun | undefined;
    return run ? await result(checkpoints.get(run.checkpointKey)) : undefined;
  });
  return stored === undefined ? null : deserializeCheckpoint(stored);
}

/** A stored run that cannot be resumed, and why (it is never offered). */
export interface UnreadableRun {
  runId: string;
  reason: string;
}

/**
 * Every stored run whose checkpoint reads back whole, newest first, and those that do not. Each
 * record is read and checked in full (deserializeCheckpoint), so nothing is offered that would
 * fail on resume.
 */
export async function listStoredRuns(): Promise<{
  runs: StoredRun[];
  unreadable: UnreadableRun[];
}> {
  if (typeof indexedDB === 'undefined') return { runs: [], unreadable: [] };
  const entries = await inTransaction('readonly', async ({ checkpoints, runs }) => {
    const all = (await result(runs.getAll())) as StoredRun[];
    const out: { run: StoredRun; record: unknown }[] = [];
    for (const run of all)
      out.push({ run, record: await result(checkpoints.get(run.checkpointKey)) });
    return out;
  });
  const ok: StoredRun[] = [];
  const unreadable: UnreadableRun[] = [];
  for (const { run, record } of entries) {
    try {
      if (record === undefined) throw new Error('its checkpoint record is missing');
      const c = deserializeCheckpoint(record);
      ok.push(summary(run.runId, run.checkpointKey, c));
    } catch (e) {
      unreadable.push({ runId: run.runId, reason: (e as Error).message });
    }
  }
  ok.sort((a, b) => b.savedAt - a.savedAt);
  return { runs: ok, unreadable };
}

/** Deletes a run and its checkpoint record (Reset, or a person discarding a stored run). */
export async function deleteRun(runId: string): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await inTransaction('readwrite', async ({ checkpoints, runs }) => {
    const run = (await result(runs.get(runId))) as StoredRun | undefined;
    if (run) checkpoints.delete(run.checkpointKey);
    runs.delete(runId);
  });
}

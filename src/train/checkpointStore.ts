/**
 * Training checkpoints: everything needed to continue a run bit for bit (weights, AdamW's m, v
 * and step, both random streams, the loss history, the settings) as one IndexedDB record. The
 * worker writes it; the page reads it on load to offer "Resume training". IndexedDB is open to
 * both a page and its workers, and stores typed arrays as they are (structured clone).
 */
import type { RngState } from '../core/rng';
import { checkLossByRatio, type LossByRatioState } from './lossByMaskingRatio';
import type { LossPoint, TrainingSettings } from './trainingProtocol';
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
  history: LossPoint[];
  /** The loss by masking ratio so far; null in checkpoints written before it existed. */
  ratioLoss: LossByRatioState | null;
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
  ratioLoss?: LossByRatioState | null;
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
    ratioLoss: c.ratioLoss ? structuredClone(c.ratioLoss) : null,
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
  if (hl.length !== hs.length || hr.length !== hs.length) {
    throw new Error('the checkpoint loss history columns differ in length');
  }
  const history: LossPoint[] = [];
  for (let i = 0; i < hs.length; i++) history.push({ step: hs[i], loss: hl[i], lr: hr[i] });
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
    backend: String(s.backend ?? ''),
    savedAt: Number(s.savedAt ?? 0),
  };
}

const DB_NAME = 'unmask-training';
const STORE = 'checkpoints';
const KEY = 'latest';

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('could not open IndexedDB'));
  });
}

async function withStore<T>(
  mode: IDBTransactionMode,
  makeRequest: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const db = await openDb();
  try {
    return await new Promise<T>((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = makeRequest(tx.objectStore(STORE));
      // Resolve on commit, so a saved checkpoint is durable before anyone is told it is.
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted'));
    });
  } finally {
    db.close();
  }
}

/** Replaces the stored checkpoint (one run is kept). */
export async function saveCheckpoint(c: TrainingCheckpoint): Promise<void> {
  const stored = serializeCheckpoint(c);
  await withStore('readwrite', (store) => store.put(stored, KEY));
}

/** The stored checkpoint, or null when there is none (or IndexedDB is unavailable). */
export async function loadCheckpoint(): Promise<TrainingCheckpoint | null> {
  if (typeof indexedDB === 'undefined') return null;
  const stored = await withStore<unknown>('readonly', (store) => store.get(KEY));
  return stored === undefined ? null : deserializeCheckpoint(stored);
}

export async function clearCheckpoint(): Promise<void> {
  if (typeof indexedDB === 'undefined') return;
  await withStore('readwrite', (store) => store.delete(KEY));
}

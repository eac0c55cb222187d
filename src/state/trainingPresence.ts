/**
 * Which training runs are going on in this browser, across tabs. A tab holds a Web Lock named
 * after each run it owns (started or resumed there) until it resets the run or closes, when the
 * browser lets it go; another tab sees the lock held, says the run is going on elsewhere, and
 * cannot resume or discard it. A BroadcastChannel carries each run's step and status to the
 * other tabs, so what they say stays current.
 */
import type { TrainingStatus } from './trainingSlice';

const LOCK_PREFIX = 'unmask-training-run:';
const CHANNEL = 'unmask-training';

/** Releases of the locks this tab holds, by run. */
const held = new Map<string, () => void>();

const locks = (): LockManager | null =>
  typeof navigator !== 'undefined' && 'locks' in navigator ? navigator.locks : null;

/** A new run's storage identity. */
export function newTrainingRunId(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? crypto.randomUUID()
    : `run-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

/**
 * Takes run `runId` for this tab; false when another tab has it. Without Web Locks (an old
 * browser) there is nothing to coordinate with, and the claim always succeeds.
 */
export function claimRun(runId: string): Promise<boolean> {
  if (held.has(runId)) return Promise.resolve(true);
  const manager = locks();
  if (!manager) return Promise.resolve(true);
  return new Promise((resolve, reject) => {
    manager
      .request(`${LOCK_PREFIX}${runId}`, { ifAvailable: true }, (lock) => {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        resolve(true);
        // Held until releaseRun, or until the tab goes away.
        return new Promise<void>((release) => held.set(runId, release));
      })
      .catch(reject);
  });
}

export function releaseRun(runId: string): void {
  held.get(runId)?.();
  held.delete(runId);
}

/** The runs another tab holds right now. */
export async function runsHeldElsewhere(): Promise<Set<string>> {
  const manager = locks();
  if (!manager) return new Set();
  const state = await manager.query();
  // Owners hold their runs exclusively; a shared hold is only a tab watching (watchRelease).
  const ids = (state.held ?? [])
    .filter((l) => l.mode === 'exclusive')
    .map((l) => l.name ?? '')
    .filter((name) => name.startsWith(LOCK_PREFIX))
    .map((name) => name.slice(LOCK_PREFIX.length))
    .filter((id) => !held.has(id));
  return new Set(ids);
}

const watched = new Set<string>();

/**
 * Calls `onReleased` once when the tab that holds run `runId` lets it go (reset, or the tab
 * closed), so this tab can offer it: a shared request is granted only when nobody holds the run,
 * and is given back at once.
 */
export function watchRelease(runId: string, onReleased: () => void): void {
  const manager = locks();
  if (!manager || watched.has(runId) || held.has(runId)) return;
  watched.add(runId);
  manager
    .request(`${LOCK_PREFIX}${runId}`, { mode: 'shared' }, () => {
      watched.delete(runId);
      // After this hold is given back (the callback returns at once).
      setTimeout(onReleased, 0);
    })
    .catch(() => watched.delete(runId));
}

/** What a tab says about its run. */
export interface RunNews {
  runId: string;
  step: number;
  steps: number;
  status: TrainingStatus;
}

let channel: BroadcastChannel | null | undefined;
const getChannel = () => {
  if (channel === undefined) {
    channel = typeof BroadcastChannel !== 'undefined' ? new BroadcastChannel(CHANNEL) : null;
  }
  return channel;
};

export function announceRun(news: RunNews): void {
  getChannel()?.postMessage(news);
}

/** Calls `listener` with what other tabs say; returns the unsubscribe. */
export function onRunNews(listener: (news: RunNews) => void): () => void {
  const c = getChannel();
  if (!c) return () => undefined;
  const handler = (e: MessageEvent<RunNews>) => listener(e.data);
  c.addEventListener('message', handler);
  return () => c.removeEventListener('message', handler);
}

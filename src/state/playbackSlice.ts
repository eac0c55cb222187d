/**
 * The shared transport of the generation view: which frame is shown, whether it plays, and how
 * fast. The sampler computes records as fast as the model answers; playback shows them at the
 * chosen speed and may lag behind, or wait at the newest record. The clock lives here, outside
 * React, and changes the store once per frame shown.
 */
import type { StateCreator } from 'zustand';
import type { GenerationSlice } from './generationSlice';
import { allFinished, playableFrame, type GenerationRun } from './generationRun';
import type { ModelSlice } from './modelSlice';
import { numberParam, readHash, writeHash } from './urlHash';

/** Frames per second a person can pick. */
export const SPEEDS = [0.5, 1, 2, 4, 8, 16, 30, 60] as const;
export const DEFAULT_SPEED = 4;

export interface PlaybackState {
  /** Frame shown: 0 = the start, f = the state after model call f. */
  frame: number;
  playing: boolean;
  /** Frames per second. */
  speed: number;
  /** A frame asked for with Step forward that the model has not computed yet. */
  waitingForFrame: number | null;
}

export interface PlaybackSlice extends PlaybackState {
  play: () => void;
  pause: () => void;
  togglePlay: () => void;
  stepForward: () => void;
  stepBack: () => void;
  /** Show a frame (clamped to what is computed); keeps playing if it was. */
  seek: (frame: number) => void;
  /** Back to frame 0 and play. */
  replay: () => void;
  setSpeed: (fps: number) => void;
  /** Start showing new runs from frame 0, playing. */
  restartPlayback: () => Partial<PlaybackState>;
  /** Called after new records arrived: lets a clock that waited at the newest record go on. */
  kickPlayback: () => void;
}

/**
 * The playback change that new records imply: a Step forward that waited for a frame shows it
 * as soon as it exists. Merged into the same store update as the records.
 */
export function playbackAfterRecords(
  s: PlaybackState,
  runs: readonly GenerationRun[],
): Partial<PlaybackState> {
  if (s.waitingForFrame === null) return {};
  const playable = playableFrame(runs);
  if (s.waitingForFrame <= playable) return { frame: s.waitingForFrame, waitingForFrame: null };
  if (allFinished(runs)) return { waitingForFrame: null };
  return {};
}

function speedFromHash(): number {
  const v = numberParam(readHash(), 'speed', DEFAULT_SPEED, 0.01, 1000);
  return v;
}

export const createPlaybackSlice: StateCreator<
  ModelSlice & GenerationSlice,
  [],
  [],
  PlaybackSlice
> = (set, get) => {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let lastAdvance = -Infinity;
  const now = () => globalThis.performance?.now() ?? Date.now();
  const interval = () => 1000 / get().speed;

  const stopClock = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
  };
  const schedule = (ms: number) => {
    stopClock();
    timer = setTimeout(tick, Math.max(0, ms));
  };

  /** One clock tick: show the next frame if it is computed; stop at the end; else wait. */
  function tick() {
    timer = null;
    const s = get();
    if (!s.playing) return;
    const playable = playableFrame(s.runs);
    if (s.frame < playable) {
      const frame = s.frame + 1;
      const atEnd = frame >= playable && allFinished(s.runs);
      lastAdvance = now();
      set({ frame, playing: !atEnd });
      if (!atEnd) schedule(interval());
    } else if (allFinished(s.runs)) {
      set({ playing: false });
    }
    // else: the model has not answered yet; kickPlayback() resumes when a record arrives.
  }

  const kick = () => {
    if (!get().playing || timer !== null) return;
    schedule(lastAdvance + interval() - now());
  };

  return {
    frame: 0,
    playing: false,
    speed: speedFromHash(),
    waitingForFrame: null,

    play() {
      const s = get();
      if (s.runs.length === 0) {
        void s.generate();
        return;
      }
      const atEnd = allFinished(s.runs) && s.frame >= playableFrame(s.runs);
      set({ playing: true, waitingForFrame: null, ...(atEnd ? { frame: 0 } : {}) });
      lastAdvance = now();
      schedule(interval());
    },

    pause() {
      stopClock();
      set({ playing: false, waitingForFrame: null });
    },

    togglePlay() {
      if (get().playing) get().pause();
      else get().play();
    },

    stepForward() {
      stopClock();
      const s = get();
      const playable = playableFrame(s.runs);
      if (s.frame < playable) set({ playing: false, frame: s.frame + 1, waitingForFrame: null });
      else if (!allFinished(s.runs)) set({ playing: false, waitingForFrame: s.frame + 1 });
      else set({ playing: false });
    },

    stepBack() {
      stopClock();
      set((s) => ({ playing: false, waitingForFrame: null, frame: Math.max(0, s.frame - 1) }));
    },

    seek(frame) {
      const s = get();
      const f = Math.max(0, Math.min(Math.round(frame), playableFrame(s.runs)));
      set({ frame: f, waitingForFrame: null });
      if (s.playing) {
        lastAdvance = now();
        schedule(interval());
      }
    },

    replay() {
      set({ frame: 0, waitingForFrame: null });
      get().play();
    },

    setSpeed(fps) {
      if (!(fps > 0 && Number.isFinite(fps))) return;
      set({ speed: fps });
      writeHash({ speed: String(fps) });
      if (get().playing) {
        stopClock();
        kick();
      }
    },

    restartPlayback() {
      stopClock();
      lastAdvance = now();
      // The first frame is scheduled by kickPlayback once a record exists.
      return { frame: 0, playing: true, waitingForFrame: null };
    },

    kickPlayback: kick,
  };
};

import { expectedLastFrame, playableFrame } from '../../state/generationRun';
import { SPEEDS } from '../../state/playbackSlice';
import { useAppStore } from '../../state/store';
import { PauseIcon, PlayIcon, ReplayIcon, StepBackIcon, StepForwardIcon } from './TransportIcons';

// Created once: React skips identical elements, so the icons do not re-render with every frame.
const STEP_BACK = <StepBackIcon />;
const STEP_FORWARD = <StepForwardIcon />;
const PLAY = <PlayIcon />;
const PAUSE = <PauseIcon />;
const REPLAY = <ReplayIcon />;

/**
 * The shared transport: one Play/Pause toggle, single steps, a timeline that can be dragged over
 * the frames computed so far (the shaded part), speed and replay. Play with nothing computed yet
 * runs the configuration.
 */
export function Transport() {
  const frame = useAppStore((s) => s.frame);
  const playing = useAppStore((s) => s.playing);
  const speed = useAppStore((s) => s.speed);
  const waitingForFrame = useAppStore((s) => s.waitingForFrame);
  const runs = useAppStore((s) => s.runs);
  const togglePlay = useAppStore((s) => s.togglePlay);
  const stepForward = useAppStore((s) => s.stepForward);
  const stepBack = useAppStore((s) => s.stepBack);
  const seek = useAppStore((s) => s.seek);
  const replay = useAppStore((s) => s.replay);
  const setSpeed = useAppStore((s) => s.setSpeed);

  const playable = playableFrame(runs);
  return (
    <TransportBar
      frame={frame}
      playable={playable}
      total={Math.max(1, playable, ...runs.map(expectedLastFrame))}
      playing={playing}
      speed={speed}
      waiting={waitingForFrame !== null}
      canReplay={runs.length > 0}
      onTogglePlay={togglePlay}
      onStepForward={stepForward}
      onStepBack={stepBack}
      onSeek={seek}
      onReplay={replay}
      onSpeed={setSpeed}
    />
  );
}

export interface TransportBarProps {
  /** The frame shown (0 = the start). */
  frame: number;
  /** Frames computed so far, and frames there will be. */
  playable: number;
  total: number;
  playing: boolean;
  /** Frames per second. */
  speed: number;
  /** A Step forward waits for a frame the model has not computed yet. */
  waiting: boolean;
  canReplay: boolean;
  onTogglePlay: () => void;
  onStepForward: () => void;
  onStepBack: () => void;
  onSeek: (frame: number) => void;
  onReplay: () => void;
  onSpeed: (fps: number) => void;
  /** The toolbar's accessible name. */
  label?: string;
  /** Names of the Play/Pause toggle, where the page has another Play or Pause. */
  playLabel?: string;
  pauseLabel?: string;
  /** Whether the keyboard shortcuts (useTransportKeys) drive it, so the tooltips name them. */
  keyHints?: boolean;
}

/** The transport's controls, for whichever clock drives them (the store's, or a local one). */
export function TransportBar(p: TransportBarProps) {
  const { frame, playable, total, playing, speed } = p;
  const keys = p.keyHints ?? true;
  const hint = (text: string, key: string) => (keys ? `${text} (${key})` : text);
  const toggleName = playing ? (p.pauseLabel ?? 'Pause') : (p.playLabel ?? 'Play');
  const computedShare = `${((100 * playable) / total).toFixed(1)}%`;
  const speeds: number[] = SPEEDS.includes(speed as (typeof SPEEDS)[number])
    ? [...SPEEDS]
    : [...SPEEDS, speed].sort((x, y) => x - y);

  return (
    <div className="transport" role="toolbar" aria-label={p.label ?? 'Transport'}>
      <button
        type="button"
        aria-label="Step back"
        title={hint('Step back', '←')}
        onClick={p.onStepBack}
      >
        {STEP_BACK}
      </button>
      <button
        type="button"
        className="play"
        aria-label={toggleName}
        title={hint(toggleName, 'Space')}
        onClick={p.onTogglePlay}
      >
        {playing ? PAUSE : PLAY}
      </button>
      <button
        type="button"
        aria-label="Step forward"
        title={hint('Step forward', '→')}
        onClick={p.onStepForward}
      >
        {STEP_FORWARD}
      </button>
      <button
        type="button"
        aria-label="Replay"
        title="Replay from the start"
        onClick={p.onReplay}
        disabled={!p.canReplay}
      >
        {REPLAY}
      </button>
      <input
        className="timeline"
        type="range"
        aria-label="Timeline"
        aria-valuetext={`frame ${frame} of ${total}`}
        min={0}
        max={total}
        step={1}
        value={Math.min(frame, total)}
        style={{ ['--computed' as string]: computedShare }}
        onChange={(e) => p.onSeek(Number(e.target.value))}
      />
      <output aria-label="Frame" className="frame-readout" data-frame={frame}>
        {frame === 0 ? 'start' : `call ${frame}`} / {total}
        {playable < total ? ` · ${playable} computed` : ''}
        {p.waiting ? ' · waiting for the model…' : ''}
      </output>
      <label className="field">
        <span>Speed</span>
        <select
          aria-label="Speed"
          value={speed}
          onChange={(e) => p.onSpeed(Number(e.target.value))}
        >
          {speeds.map((s) => (
            <option key={s} value={s}>
              {s} steps/s
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

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
  const total = Math.max(1, playable, ...runs.map(expectedLastFrame));
  const computedShare = `${((100 * playable) / total).toFixed(1)}%`;
  const speeds: number[] = SPEEDS.includes(speed as (typeof SPEEDS)[number])
    ? [...SPEEDS]
    : [...SPEEDS, speed].sort((x, y) => x - y);

  return (
    <div className="transport" role="toolbar" aria-label="Transport">
      <button type="button" aria-label="Step back" title="Step back (←)" onClick={stepBack}>
        {STEP_BACK}
      </button>
      <button
        type="button"
        className="play"
        aria-label={playing ? 'Pause' : 'Play'}
        title={playing ? 'Pause (Space)' : 'Play (Space)'}
        onClick={togglePlay}
      >
        {playing ? PAUSE : PLAY}
      </button>
      <button
        type="button"
        aria-label="Step forward"
        title="Step forward (→)"
        onClick={stepForward}
      >
        {STEP_FORWARD}
      </button>
      <button
        type="button"
        aria-label="Replay"
        title="Replay from the start"
        onClick={replay}
        disabled={runs.length === 0}
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
        onChange={(e) => seek(Number(e.target.value))}
      />
      <output aria-label="Frame" className="frame-readout" data-frame={frame}>
        {frame === 0 ? 'start' : `call ${frame}`} / {total}
        {playable < total ? ` · ${playable} computed` : ''}
        {waitingForFrame !== null ? ' · waiting for the model…' : ''}
      </output>
      <label className="field">
        <span>Speed</span>
        <select aria-label="Speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
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

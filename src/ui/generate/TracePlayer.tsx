import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SamplerTrace } from '../../core/sampler';
import { runFromTrace, tokensAt } from '../../state/generationRun';
import { useAppStore } from '../../state/store';
import { CandidatesPanel } from './CandidatesPanel';
import { cellsAt } from './cells';
import { TokenStrip } from './TokenStrip';
import type { TokenNames } from './tokenText';
import { TransportBar } from './Transport';

interface Props {
  trace: SamplerTrace;
  names: TokenNames;
  /** Accessible name of the group; the strip, result and toolbar are named after it. */
  label: string;
  /** The window as text at a frame (a corpus reads its windows its own way). */
  text: (ids: readonly number[]) => string;
}

/**
 * One finished trace, animated call by call with the generation view's token strip, candidates
 * and transport, on a clock of its own (so it does not move the Generate view's frame). A new
 * trace starts from its first frame, playing.
 */
export function TracePlayer({ trace, names, label, text }: Props) {
  const run = useMemo(() => runFromTrace(trace, { key: 'a', source: 'model' }), [trace]);
  const total = run.records.length;
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(true);
  const [speed, setSpeed] = useState(() => useAppStore.getState().speed);
  const [selected, setSelected] = useState<number | null>(null);
  const [hovered, setHovered] = useState<number | null>(null);
  const [shown, setShown] = useState(trace);
  if (shown !== trace) {
    setShown(trace);
    setFrame(0);
    setPlaying(true);
    setSelected(null);
  }
  const cells = useMemo(() => cellsAt(run, frame), [run, frame]);
  const record = frame === 0 ? null : run.records[Math.min(frame, total) - 1];

  // Playing stops by itself at the last frame.
  const running = playing && frame < total;

  // The clock: one frame per 1/speed seconds while running.
  useEffect(() => {
    if (!running) return;
    const timer = setTimeout(() => setFrame((f) => Math.min(total, f + 1)), 1000 / speed);
    return () => clearTimeout(timer);
  }, [running, total, speed, frame]);

  const pause = () => setPlaying(false);
  const toggleSelected = useCallback((p: number) => setSelected((s) => (s === p ? null : p)), []);
  const focus = hovered ?? selected;

  return (
    <div className="generate trace-player" role="group" aria-label={label}>
      <p className="result" aria-label={`${label}: text`} data-done={frame >= total}>
        {text(tokensAt(run, frame)) || '(empty)'}
      </p>
      <TokenStrip
        cells={cells}
        manifest={names}
        strategy={run.options.strategy}
        frame={frame}
        label={`${label}: tokens`}
        selected={selected}
        onHover={setHovered}
        onSelect={toggleSelected}
      />
      <TransportBar
        label={`${label}: playback`}
        playLabel={`Play ${label}`}
        pauseLabel={`Pause ${label}`}
        keyHints={false}
        frame={frame}
        playable={total}
        total={total}
        playing={running}
        speed={speed}
        waiting={false}
        canReplay={total > 0}
        onTogglePlay={() => {
          if (running) return pause();
          if (frame >= total) setFrame(0);
          setPlaying(true);
        }}
        onStepForward={() => {
          pause();
          setFrame((f) => Math.min(total, f + 1));
        }}
        onStepBack={() => {
          pause();
          setFrame((f) => Math.max(0, f - 1));
        }}
        onSeek={(f) => setFrame(Math.max(0, Math.min(total, Math.round(f))))}
        onReplay={() => {
          setFrame(0);
          setPlaying(true);
        }}
        onSpeed={(fps) => fps > 0 && setSpeed(fps)}
      />
      <CandidatesPanel
        cell={focus === null ? null : cells[focus]}
        record={record}
        manifest={names}
        strategy={run.options.strategy}
        locked={selected !== null && focus === selected}
        label={`${label}: candidates`}
      />
    </div>
  );
}

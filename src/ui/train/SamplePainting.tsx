import { useCallback, useEffect, useMemo, useState } from 'react';
import { getCorpus } from '../../core/corpus';
import { runFromTrace, tokensAt } from '../../state/generationRun';
import { useAppStore } from '../../state/store';
import type { TrainingSample } from '../../train/trainingProtocol';
import { cellsAt } from '../generate/cells';
import { Legend } from '../generate/Legend';
import { TokenStrip } from '../generate/TokenStrip';
import { sentenceText, type TokenNames } from '../generate/tokenText';
import { TransportBar } from '../generate/Transport';

interface Props {
  samples: { step: number; samples: TrainingSample[] };
  corpus: string;
}

const ignore = () => {};

/**
 * The samples of the current weights, and one of them painted again call by call with the
 * generation view's token strip and transport (from the sampler trace the worker sent). A new
 * set of samples starts playing from its first frame.
 */
export function SamplePainting({ samples, corpus }: Props) {
  const names = useMemo<TokenNames>(() => {
    const vocab = getCorpus(corpus).vocab;
    return {
      vocab: vocab.tokens.slice(),
      special: { mask: vocab.maskId, pad: vocab.padId, eos: vocab.eosId },
    };
  }, [corpus]);
  const [chosen, setChosen] = useState(0);
  const [frame, setFrame] = useState(0);
  const [playing, setPlaying] = useState(true);
  // The generation view's speed (a link's speed=… too) is where this one starts.
  const [speed, setSpeed] = useState(() => useAppStore.getState().speed);
  // New samples (or another one picked): back to the start, playing.
  const [shown, setShown] = useState({ step: samples.step, chosen });
  if (shown.step !== samples.step || shown.chosen !== chosen) {
    setShown({ step: samples.step, chosen });
    setFrame(0);
    setPlaying(true);
  }

  const sample = samples.samples[Math.min(chosen, samples.samples.length - 1)];
  const run = useMemo(() => runFromTrace(sample.trace, { key: 'a', source: 'model' }), [sample]);
  const total = run.records.length;
  const cells = useMemo(() => cellsAt(run, frame), [run, frame]);

  // The clock: one frame per 1/speed seconds while playing; it stops at the last frame.
  useEffect(() => {
    if (!playing || frame >= total) return;
    const timer = setTimeout(() => {
      setFrame((f) => Math.min(total, f + 1));
      if (frame + 1 >= total) setPlaying(false);
    }, 1000 / speed);
    return () => clearTimeout(timer);
  }, [playing, frame, total, speed]);

  const play = useCallback(() => {
    if (frame >= total) setFrame(0);
    setPlaying(true);
  }, [frame, total]);
  const stop = () => setPlaying(false);

  return (
    <div className="train-samples-body">
      <ul aria-label="Sample sentences">
        {samples.samples.map((s, i) => (
          <li key={i} data-valid={s.valid}>
            <span className="train-sample-mark" aria-hidden="true">
              {s.valid ? '✓' : '✗'}
            </span>{' '}
            <button
              type="button"
              className="train-sample-pick"
              aria-pressed={i === chosen}
              title="Watch this sample being painted"
              onClick={() => setChosen(i)}
            >
              {s.text || '(empty)'}
            </button>
            <span className="sr-only">{s.valid ? ' (grammatical)' : ' (not grammatical)'}</span>
          </li>
        ))}
      </ul>
      {/* The generation view's classes, so the strip and the transport look the same here. */}
      <div className="generate train-painting" role="group" aria-label="Sample being painted">
        <p className="result" aria-label="Painted so far" data-done={frame >= total}>
          {sentenceText(names, tokensAt(run, frame)) || '(empty)'}
        </p>
        <TokenStrip
          cells={cells}
          manifest={names}
          strategy={run.options.strategy}
          frame={frame}
          label="Sample tokens"
          selected={null}
          onHover={ignore}
          onSelect={ignore}
        />
        <TransportBar
          label="Sample playback"
          playLabel="Play the sample"
          pauseLabel="Pause the sample"
          keyHints={false}
          frame={frame}
          playable={total}
          total={total}
          playing={playing}
          speed={speed}
          waiting={false}
          canReplay={total > 0}
          onTogglePlay={() => (playing ? stop() : play())}
          onStepForward={() => {
            stop();
            setFrame((f) => Math.min(total, f + 1));
          }}
          onStepBack={() => {
            stop();
            setFrame((f) => Math.max(0, f - 1));
          }}
          onSeek={(f) => setFrame(Math.max(0, Math.min(total, Math.round(f))))}
          onReplay={() => {
            setFrame(0);
            setPlaying(true);
          }}
          onSpeed={(fps) => fps > 0 && setSpeed(fps)}
        />
        <details className="small">
          <summary>What the cells show</summary>
          <Legend />
        </details>
      </div>
    </div>
  );
}

import { useMemo, useState } from 'react';
import { getCorpus } from '../../core/corpus';
import type { TrainingSample } from '../../train/trainingProtocol';
import { Legend } from '../generate/Legend';
import { sentenceText, type TokenNames } from '../generate/tokenText';
import { TracePlayer } from '../generate/TracePlayer';

interface Props {
  samples: { step: number; samples: TrainingSample[] };
  corpus: string;
}

/**
 * The samples of the current weights, and the chosen one painted again call by call by the
 * generation view's TracePlayer (token strip, candidates, transport; from the sampler trace the
 * worker sent). A new set of samples, or another pick, starts playing from its first frame.
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
  const sample = samples.samples[Math.min(chosen, samples.samples.length - 1)];

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
      <TracePlayer
        trace={sample.trace}
        names={names}
        label="Sample"
        text={(ids) => sentenceText(names, ids)}
      />
      <div className="generate">
        <details className="small">
          <summary>What the cells show</summary>
          <Legend />
        </details>
      </div>
    </div>
  );
}

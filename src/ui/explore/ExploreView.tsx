import { useDeferredValue, useMemo } from 'react';
import { useAppStore } from '../../state/store';
import { ArticleExamples } from './ArticleExamples';
import { ForwardReadouts } from './ForwardReadouts';
import { LiveModelPanel } from './LiveModelPanel';
import { LossCurvePanel } from './LossCurvePanel';
import {
  configurationFromPattern,
  explorerDraws,
  maskPattern,
  scopeLength,
} from './maskConfiguration';
import { MaskingControls } from './MaskingControls';
import { MaskScopeChoice, SentenceEditor } from './SentenceEditor';
import { explorerVocabulary, readSentence, trainingCorpus } from './sentenceWindow';
import { TokenStrip } from './TokenStrip';
import './explore.css';

/**
 * The masking-ratio explorer: drag t and watch the forward process, the model's guesses and the
 * training loss move together (the article's "Masked diffusion" and "Training objective").
 *
 * Smoothness: the slider is the only urgent update. Everything that follows from t renders from
 * a deferred copy of it, which React renders in interruptible slices between input events, and
 * the token strip renders again only when the set of masked tokens changes.
 */
export function ExploreView() {
  const manifest = useAppStore((s) => s.manifest);
  const explorer = useAppStore((s) => s.explorer);
  const t = useDeferredValue(explorer.t);

  const vocabulary = useMemo(() => (manifest ? explorerVocabulary(manifest) : null), [manifest]);
  const vocab = vocabulary && 'vocab' in vocabulary ? vocabulary.vocab : null;
  const seqLen = manifest?.seqLen ?? 0;
  const maskId = manifest?.special.mask ?? 0;
  const sentence = useMemo(
    () => (vocab ? readSentence(explorer.sentence, vocab, seqLen) : null),
    [vocab, explorer.sentence, seqLen],
  );
  const draws = useMemo(
    () => explorerDraws(explorer.drawSeed, seqLen),
    [explorer.drawSeed, seqLen],
  );
  const window = sentence?.window ?? null;
  const L = sentence ? scopeLength(explorer.scope, sentence.words.length, seqLen) : 0;
  const pattern = window ? maskPattern(window, draws, t, L, explorer.picked, maskId) : null;
  const bits = pattern?.bits ?? null;
  const handPicked = pattern?.handPicked ?? false;
  // Recomputed only when the masks change, so the strip and the model panel skip most frames.
  const config = useMemo(
    () =>
      window && bits !== null
        ? configurationFromPattern(window, { bits, handPicked }, maskId)
        : null,
    [window, bits, handPicked, maskId],
  );
  const labels = useMemo(
    () =>
      window && vocab
        ? Array.from(window, (id) => (id === vocab.endId ? '[EOS]' : vocab.word(id)))
        : [],
    [window, vocab],
  );

  if (!manifest) return <section className="view muted">Loading the model…</section>;
  if (!vocab || !sentence) {
    return (
      <section className="view" aria-label="Explore">
        <div role="alert" className="error-panel">
          {vocabulary && 'problem' in vocabulary ? vocabulary.problem : 'No vocabulary.'}
        </div>
      </section>
    );
  }
  const corpus = trainingCorpus(manifest);

  return (
    <section className="view explore" aria-label="Explore">
      <div className="stage-heading">
        <h2>Masking, and the loss it gives</h2>
        <p className="watch">
          Drag the masking ratio t: every position holds a fixed draw u<sub>i</sub> and is masked
          exactly when u<sub>i</sub> &lt; t, so masks only ever add up. The model guesses the masked
          words, and the loss scores its guesses. Click a token to mask it by hand.
        </p>
      </div>
      <SentenceEditor sentence={sentence} corpus={corpus} />
      <MaskingControls handPicked={handPicked} />
      {config && window && (
        <>
          <TokenStrip labels={labels} draws={draws} config={config} />
          <div className="explore-columns">
            <LiveModelPanel window={window} config={config} t={t} labels={labels} />
            <ForwardReadouts config={config} t={t} />
          </div>
        </>
      )}
      <LossCurvePanel window={window} L={L} t={t} vocab={vocab} corpus={corpus} />
      <details className="explore-more">
        <summary>The article&apos;s numbers, and what the forward process masks</summary>
        <ArticleExamples />
        <MaskScopeChoice seqLen={seqLen} />
      </details>
    </section>
  );
}

import { useMemo, useState } from 'react';
import { getCorpus } from '../../core/corpus';
import type { CurveSentence, LossCurve, LossCurveOptions } from '../../core/lossCurve';
import { Rng } from '../../core/rng';
import type { Vocabulary } from '../../core/vocabulary';
import type { MaskScope } from '../../state/explorerSlice';
import { useAppStore } from '../../state/store';
import { formatNumber, texNumber } from './format';
import { LossCurveChart, type CurveSeries } from './LossCurveChart';
import { scopeLength } from './maskConfiguration';
import { readSentence } from './sentenceWindow';
import { Tex } from './Tex';
import { useLossCurve, type CurveJob, type CurveState } from './useLossCurve';

const BINS = 20;
const ROWS_PER_CALL = 64;
const CURVE_SEED = 1;
const SENTENCE_SAMPLES = 16;
const BATCH_SENTENCES = 8;
const BATCH_SAMPLES = 4;
const BATCH_SEED = 1000;

const options = (samplesPerBin: number, timeInput: boolean): LossCurveOptions => ({
  bins: BINS,
  samplesPerBin,
  rowsPerCall: ROWS_PER_CALL,
  timeInput,
});

/** A fixed, seeded batch of corpus sentences the model's vocabulary can write. */
function corpusBatch(corpus: string, vocab: Vocabulary, seqLen: number, scope: MaskScope) {
  const out: { words: string[]; sentence: CurveSentence }[] = [];
  const c = getCorpus(corpus);
  for (let i = 0; out.length < BATCH_SENTENCES && i < BATCH_SENTENCES * 4; i++) {
    const words = c.sample(new Rng(BATCH_SEED + i));
    const s = readSentence(words.join(' '), vocab, seqLen);
    if (!s.window) continue;
    out.push({
      words,
      sentence: { tokens: s.window, length: scopeLength(scope, words.length, seqLen) },
    });
  }
  return out;
}

/** Monte Carlo loss against t for this sentence and for a corpus batch, and the ELBO bound. */
export function LossCurvePanel({
  window,
  L,
  t,
  vocab,
  corpus,
}: {
  window: Int32Array | null;
  L: number;
  t: number;
  vocab: Vocabulary;
  corpus: string;
}) {
  const manifest = useAppStore((s) => s.manifest);
  const modelVersion = useAppStore((s) => s.modelVersion);
  const scope = useAppStore((s) => s.explorer.scope);
  const [batchWanted, setBatchWanted] = useState(false);
  const timeInput = manifest?.io.t != null;
  const seqLen = manifest?.seqLen ?? 0;
  const ready = manifest !== null && modelVersion > 0;

  const sentenceJob = useMemo<CurveJob | null>(() => {
    if (!ready || !window) return null;
    return {
      key: `${modelVersion}|${Array.from(window).join(',')}|${L}`,
      sentences: [{ tokens: window, length: L }],
      options: options(SENTENCE_SAMPLES, timeInput),
      seed: CURVE_SEED,
    };
  }, [ready, modelVersion, window, L, timeInput]);

  const batch = useMemo(
    () => (ready && batchWanted ? corpusBatch(corpus, vocab, seqLen, scope) : []),
    [ready, batchWanted, corpus, vocab, seqLen, scope],
  );
  const batchJob = useMemo<CurveJob | null>(() => {
    if (batch.length === 0) return null;
    return {
      key: `${modelVersion}|batch|${scope}`,
      sentences: batch.map((b) => b.sentence),
      options: options(BATCH_SAMPLES, timeInput),
      seed: CURVE_SEED,
    };
  }, [batch, modelVersion, scope, timeInput]);

  const sentenceCurve = useLossCurve(sentenceJob);
  const batchCurve = useLossCurve(batchJob);

  const sentenceDone = sentenceCurve.status === 'done' ? sentenceCurve.curve : null;
  const batchDone = batchCurve.status === 'done' ? batchCurve.curve : null;
  const series = useMemo(() => {
    const out: CurveSeries[] = [];
    if (sentenceDone) out.push({ id: 'sentence', label: 'this sentence', curve: sentenceDone });
    if (batchDone) out.push({ id: 'batch', label: 'corpus batch', curve: batchDone });
    return out;
  }, [sentenceDone, batchDone]);

  return (
    <div className="explore-curve-panel" aria-label="Loss against t">
      <h3>The loss against t, and the likelihood bound</h3>
      <p className="muted small">
        At each of {BINS} masking ratios (the midpoints of equal slices of (0, 1)) the sentence is
        masked {SENTENCE_SAMPLES} times with the forward process (seed {CURVE_SEED}), the model
        scores every masked copy ({ROWS_PER_CALL} copies per model call), and the mean loss is drawn
        with a band of ±1 standard deviation of a single copy’s loss. Solid: the article’s 1/(t·L)
        weighting; dashed: the plain masked mean. The weighted curve’s spread grows as t shrinks: a
        copy with one masked token is scaled by 1/(t·L). The area under the solid curve is the bound
        below.{' '}
        {scope === 'words'
          ? 'Only the words are masked and the [EOS] fill stays visible, so it bounds the words given the sentence’s length.'
          : `Every position is masked, so it bounds all ${seqLen} tokens of the window, [EOS]s included.`}
      </p>
      {!ready && <p className="muted">Waiting for the model…</p>}
      {ready && !window && <p className="muted">Fix the sentence to see its curve.</p>}
      <CurveStatus label="This sentence" state={sentenceCurve} id="sentence" />
      <div className="row">
        <button type="button" onClick={() => setBatchWanted(true)} disabled={!ready || batchWanted}>
          Add {BATCH_SENTENCES} corpus sentences
        </button>
        {batch.length > 0 && (
          <span className="muted small" aria-label="Corpus batch">
            {batch.map((b) => b.words.join(' ')).join(' · ')}
          </span>
        )}
        {ready && batchWanted && batch.length === 0 && (
          <span className="muted small" role="status" aria-label="Corpus batch">
            None of the {corpus} corpus&apos;s sentences fits this model:{' '}
            {vocab.endId === null
              ? `it has no [EOS] token, so a sentence must fill its window of ${seqLen} words, and the corpus's are shorter.`
              : 'its vocabulary lacks their words.'}
          </span>
        )}
      </div>
      {batchWanted && <CurveStatus label="Corpus batch" state={batchCurve} id="batch" />}
      {series.length > 0 && <LossCurveChart series={series} t={t} />}
      <p className="muted small explore-legend">
        <span className="swatch series-0" /> this sentence <span className="swatch series-1" />{' '}
        corpus batch · solid: weighted · dashed: plain mean · shaded: ±1 s.d. · grey line: BERT’s
        15%
      </p>
    </div>
  );
}

function ElboReadout({ curve, id }: { curve: LossCurve; id: string }) {
  const { value, standardError } = curve.elbo;
  return (
    <span>
      <Tex
        tex={String.raw`-\tfrac{1}{L}\log p_\theta(x_0) \le \int_0^1 \mathbb{E}\,\mathcal{L}_t\,dt \approx`}
      />{' '}
      <output aria-label={`ELBO bound (${id})`} data-value={value} data-se={standardError}>
        {formatNumber(value)} ± {formatNumber(standardError, 2)}
      </output>{' '}
      nats per token, so perplexity <Tex tex={String.raw`\le e^{${texNumber(value)}} =`} />{' '}
      <output aria-label={`Perplexity bound (${id})`} data-value={curve.perplexityBound}>
        {formatNumber(curve.perplexityBound)}
      </output>
    </span>
  );
}

function CurveStatus({ label, state, id }: { label: string; state: CurveState; id: string }) {
  return (
    <div className="explore-readout" data-testid={`curve-status-${id}`} data-status={state.status}>
      <strong>{label}:</strong>{' '}
      {state.status === 'waiting' && <span className="muted">starting…</span>}
      {state.status === 'running' && (
        <span className="muted">
          scoring masked copies: {state.rowsDone} of {state.rowsTotal}
        </span>
      )}
      {state.status === 'error' && <span className="error-panel">{state.message}</span>}
      {state.status === 'done' && (
        <>
          <ElboReadout curve={state.curve} id={id} />
          <span className="muted small">
            {' '}
            ({state.curve.copies} masked copies, {state.curve.rows} needed the model,{' '}
            {state.curve.calls} model calls, {(state.ms / 1000).toFixed(1)} s)
          </span>
        </>
      )}
    </div>
  );
}

import { memo, useMemo } from 'react';
import { weightedLossFromProbs } from '../../core/articleLoss';
import type { ModelManifest } from '../../model/manifest';
import { useAppStore } from '../../state/store';
import { formatNumber } from './format';
import type { MaskConfiguration } from './maskConfiguration';
import { lossBothWays, maskedPredictions, type LossBothWays } from './maskedPredictions';
import { BERT_RATIO } from './MaskingControls';
import { Num } from './Num';
import { Tex } from './Tex';
import { useLiveModel, type LiveAnswer, type LiveRequest } from './useLiveModel';

const TOP_K = 3;

/** The article's worked loss example, with its hypothetical probabilities (not a model's). */
const ARTICLE_LOSS = { probs: [0.8, 0.6], t: 0.5, L: 4 };

/** The loaded model on the masked window: p(true token), −log p, top guesses, the loss both ways. */
export const LiveModelPanel = memo(function LiveModelPanel({
  window,
  config,
  t,
  labels,
}: {
  window: Int32Array;
  config: MaskConfiguration;
  t: number;
  labels: readonly string[];
}) {
  const manifest = useAppStore((s) => s.manifest);
  const modelVersion = useAppStore((s) => s.modelVersion);
  const timeInput = manifest?.io.t != null;

  const request = useMemo<LiveRequest | null>(() => {
    if (!manifest || modelVersion === 0) return null;
    // Without a t input the model's answer does not depend on t: same key, no new call.
    const key = `${modelVersion}|${Array.from(window).join(',')}|${config.masked.map(Number).join('')}|${config.L}|${timeInput ? t : '-'}`;
    return { key, window, tokens: config.tokens, masked: config.masked, t, L: config.L, timeInput };
  }, [manifest, modelVersion, window, config, t, timeInput]);

  const { answer, error, stats } = useLiveModel(request);
  // The loss weighting uses the t shown even when the model's answer did not need a new call.
  const current = answer !== null && request !== null && answer.request.key === request.key;

  return (
    <div className="explore-model" aria-label="The model">
      <h3>The model on the masked sentence</h3>
      {!manifest && <p className="muted">Waiting for a model…</p>}
      {manifest && (
        <p className="muted small" aria-label="Model calls">
          {manifest.title}
          {timeInput ? ', given t as its time input' : ' (it takes no t)'}.
          {answer && ` Last call ${answer.ms.toFixed(1)} ms; `}
          {` ${stats.ran} calls run, ${stats.dropped} stale requests dropped while the model was busy.`}
        </p>
      )}
      {error && (
        <p role="alert" className="error-panel small">
          {error}
        </p>
      )}
      {answer && manifest && (
        <AnswerView
          answer={answer}
          t={current ? t : answer.request.t}
          current={current}
          labels={labels}
          manifest={manifest}
        />
      )}
      <StaticNotes L={config.L} />
    </div>
  );
});

const AnswerView = memo(function AnswerView({
  answer,
  t,
  current,
  labels,
  manifest,
}: {
  answer: LiveAnswer;
  t: number;
  current: boolean;
  labels: readonly string[];
  manifest: ModelManifest;
}) {
  const r = answer.request;
  const predictions = useMemo(
    () => maskedPredictions(answer.logits, r.window, r.masked, manifest.vocab.length, TOP_K),
    [answer.logits, r.window, r.masked, manifest.vocab.length],
  );
  const loss = lossBothWays(predictions, t, r.L);
  const word = (id: number) => manifest.vocab[id] ?? `#${id}`;
  return (
    <div
      className={current ? 'explore-live' : 'explore-live stale'}
      data-testid="live-readout"
      data-current={current ? 'true' : 'false'}
      data-t={t}
      data-l={r.L}
    >
      <LossReadouts t={t} L={r.L} probs={predictions.map((m) => m.p)} loss={loss} />
      {predictions.length === 0 ? (
        <p className="muted">Nothing is masked: there is nothing to predict and the loss is 0.</p>
      ) : (
        <div className="scroll-x">
          <table className="explore-table" aria-label="Predictions at masked positions">
            <thead>
              <tr>
                <th>position</th>
                <th>true token</th>
                <th>
                  <Tex tex={String.raw`p_\theta(x_0^i \mid x_t)`} />
                </th>
                <th>
                  <Tex tex={String.raw`-\log p`} />
                </th>
                <th>top {TOP_K} guesses</th>
              </tr>
            </thead>
            <tbody>
              {predictions.map((m) => (
                <tr key={m.position} data-testid="prediction-row">
                  <td>{m.position + 1}</td>
                  <td>{labels[m.position]}</td>
                  <td data-testid="p-true" data-value={m.p}>
                    <Num value={m.p} />
                  </td>
                  <td data-value={m.nll}>{formatNumber(m.nll)}</td>
                  <td>
                    {m.top.map((g) => (
                      <span key={g.id} className={g.id === m.trueId ? 'guess hit' : 'guess'}>
                        {word(g.id)} {formatNumber(g.p, 2)}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
});

function LossReadouts({
  t,
  L,
  probs,
  loss,
}: {
  t: number;
  L: number;
  probs: number[];
  loss: LossBothWays;
}) {
  const k = probs.length;
  return (
    <div className="explore-losses">
      <div className="explore-readout">
        <span className="explore-loss-name">Article (1/(t·L) weighted)</span>
        <Tex
          tex={String.raw`\mathcal{L} = -\frac{1}{t \cdot L}\sum_{i:\,x_t^i=\texttt{[MASK]}} \log p_\theta(x_0^i \mid x_t)`}
        />{' '}
        {k > 0 && t > 0 && (
          <span className="explore-subst">
            = −1/(
            <Num value={t} /> × {L}) ·{' '}
            {k <= 4 ? (
              // The article writes the sum out; past four terms the total is clearer.
              <>
                [
                {probs.map((p, i) => (
                  <span key={i}>
                    {i > 0 && ' + '}log <Num value={p} />
                  </span>
                ))}
                ]
              </>
            ) : (
              <>
                (−
                <Num value={loss.sumNll} />)
              </>
            )}
          </span>
        )}{' '}
        ={' '}
        <output aria-label="Weighted loss" data-value={loss.weighted ?? ''}>
          {loss.weighted === null ? '— (t = 0)' : formatNumber(loss.weighted)}
        </output>
      </div>
      <div className="explore-readout">
        <span className="explore-loss-name">Plain masked mean</span>
        <Tex
          tex={String.raw`\frac{1}{k}\sum_{i:\,x_t^i=\texttt{[MASK]}} -\log p_\theta(x_0^i \mid x_t)`}
        />{' '}
        {k > 0 && (
          <span className="explore-subst">
            = <Num value={loss.sumNll} /> / {k}
          </span>
        )}{' '}
        ={' '}
        <output aria-label="Plain masked mean" data-value={loss.plain ?? ''}>
          {loss.plain === null ? '— (nothing masked)' : formatNumber(loss.plain)}
        </output>
      </div>
      <WhyTheyDiffer k={k} t={t} L={L} />
    </div>
  );
}

/**
 * The one difference between the two losses, for the k and t on screen: the weighted loss
 * divides the summed −log p by t·L, the count of masks expected at this t, the plain mean by k,
 * the count drawn.
 */
function WhyTheyDiffer({ k, t, L }: { k: number; t: number; L: number }) {
  if (k === 0 || t === 0) return null;
  const expected = t * L;
  const same = Math.abs(expected - k) < 1e-9;
  return (
    <p className="explore-why" aria-label="Why the two losses differ">
      {same ? (
        <>
          Here they agree: k = t·L = {formatNumber(expected)}. The weighted loss divides by t·L, the
          number of masks expected at this t; the plain mean divides by k, the number drawn. Move t,
          or re-roll, and they part.
        </>
      ) : (
        <>
          They differ because the weighted loss divides by t·L = {formatNumber(expected)}, the
          number of masks expected at this t, and the plain mean by k = {k}, the number drawn (
          {k < expected ? 'fewer' : 'more'} than expected, so the weighted loss is{' '}
          {k < expected ? 'smaller' : 'larger'}). Only the 1/(t·L) weighting, averaged over draws
          and all t, adds up to a bound on the likelihood.
        </>
      )}
    </p>
  );
}

/** The article's hypothetical example, BERT for contrast, and why the weighting matters. */
const StaticNotes = memo(function StaticNotes({ L }: { L: number }) {
  const setT = useAppStore((s) => s.setMaskingRatio);
  const articleLoss = weightedLossFromProbs(ARTICLE_LOSS.probs, ARTICLE_LOSS.t, ARTICLE_LOSS.L);
  return (
    <>
      <div className="explore-readout">
        <strong>The article’s worked example</strong> (hypothetical p = 0.8 and 0.6 at t = 0.5, L =
        4, not this model’s):{' '}
        <Tex tex={String.raw`-\frac{1}{0.5 \times 4}\left[\log 0.8 + \log 0.6\right]`} /> ={' '}
        <output aria-label="Article example loss" data-value={articleLoss}>
          {formatNumber(articleLoss)}
        </output>
        . “Use the article’s loss example” masks the same two tokens, so the table above shows this
        model’s p for them.
      </div>
      <div className="explore-readout">
        <strong>BERT</strong> masks a fixed 15% and scores the plain mean: one t, no 1/t weight,{' '}
        <Tex tex={String.raw`\mathbb{E}[k] = 0.15 \cdot L`} /> = <Num value={BERT_RATIO * L} />.{' '}
        <button type="button" onClick={() => setT(BERT_RATIO)}>
          Show t = 0.15
        </button>
      </div>
      <p className="small">
        <strong>Why 1/(t·L)?</strong> Averaged over t ~ U(0, 1), the weighted loss is the negative
        ELBO: each token is masked with probability t, so the 1/t weight counts every token’s
        prediction once across all masking levels, and the total bounds −(1/L) log p<sub>θ</sub>(x
        <sub>0</sub>) from above. The plain mean trains a denoiser just as well but bounds nothing,
        which is the difference between BERT and a generative model.
      </p>
    </>
  );
});

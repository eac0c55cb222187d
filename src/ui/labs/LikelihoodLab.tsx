import { useMemo, useRef } from 'react';
import { spanLength, conditionalOnFirstToken } from '../../core/likelihood/scoredSpan';
import { Rng } from '../../core/rng';
import { packageCorpus } from '../../model/packageCorpus';
import { vocabularyOf } from '../../state/modelVocabulary';
import { useAppStore } from '../../state/store';
import { readSentence } from '../explore/sentenceWindow';
import { formatNumber } from '../explore/format';
import { NumberField } from '../generate/NumberField';
import { UnknownWords } from '../generate/UnknownWords';
import { LikelihoodChart } from './LikelihoodChart';
import { backendLabel } from './backendLabel';

const LIMITS = { samples: [1, 100_000], rowsPerCall: [1, 1024] } as const;

function settingsProblem(s: { samples: number; rowsPerCall: number; seed: number }): string | null {
  for (const key of ['samples', 'rowsPerCall'] as const) {
    const [lo, hi] = LIMITS[key];
    if (!Number.isInteger(s[key]) || s[key] < lo || s[key] > hi) {
      return `${key === 'samples' ? 'Draws' : 'Rows per model call'} must be a whole number from ${lo} to ${hi}.`;
    }
  }
  if (!Number.isInteger(s.seed) || s.seed < 0 || s.seed > 0xffffffff)
    return 'The seed must be a whole number ≥ 0.';
  return null;
}

const perToken = (nats: number, n: number) => formatNumber(nats / n);

/**
 * The likelihood lab: a typed sentence, the diffusion model's Monte Carlo −ELBO (an upper bound
 * on its −log p) with its standard error as the draws grow, and the twin's exact −log p.
 */
export function LikelihoodLab() {
  const pair = useAppStore((s) => s.labPair);
  const text = useAppStore((s) => s.likelihoodSentence);
  const settings = useAppStore((s) => s.likelihoodSettings);
  const run = useAppStore((s) => s.likelihoodRun);
  const speedRunning = useAppStore((s) => s.speedRun?.status === 'running');
  const setText = useAppStore((s) => s.setLikelihoodSentence);
  const setSettings = useAppStore((s) => s.setLikelihoodSettings);
  const start = useAppStore((s) => s.runLikelihood);
  const stop = useAppStore((s) => s.stopLikelihood);
  const draws = useRef(0);

  const manifest = pair.diffusion;
  const vocab = manifest ? vocabularyOf(manifest) : null;
  const seqLen = manifest?.seqLen ?? 0;
  const sentence = useMemo(
    () => (vocab ? readSentence(text, vocab, seqLen) : null),
    [vocab, text, seqLen],
  );

  if (!manifest || !vocab || !sentence) {
    return (
      <p className="muted">
        {pair.status === 'error' ? 'The models did not open (see above).' : 'Opening the models…'}
      </p>
    );
  }
  const scored = spanLength(conditionalOnFirstToken(seqLen));
  const problem = settingsProblem(settings);
  const running = run?.status === 'running';
  const corpus = packageCorpus(manifest);
  const last = run?.points.at(-1) ?? null;
  const replaceWord = (index: number, word: string) =>
    setText(sentence.words.map((w, i) => (i === index ? word : w)).join(' '));

  return (
    <div className="labs-likelihood">
      <div className="row">
        <label className="labs-sentence">
          Sentence{' '}
          <input
            type="text"
            aria-label="Sentence to score"
            value={text}
            spellCheck={false}
            onChange={(e) => setText(e.target.value)}
          />
        </label>
        {corpus && (
          <button
            type="button"
            onClick={() => {
              draws.current++;
              setText(corpus.sample(new Rng(draws.current)).join(' '));
            }}
          >
            Draw from the corpus
          </button>
        )}
      </div>
      {sentence.problem && (
        <p role="alert" className="error-panel small">
          {sentence.problem}
        </p>
      )}
      <UnknownWords
        label="Unknown words"
        items={sentence.unknown.map((u) => ({
          where: `word ${u.index + 1}`,
          word: u.word,
          suggestions: u.suggestions,
          fix: (s) => replaceWord(u.index, s),
        }))}
      />

      <div className="row labs-settings">
        <fieldset>
          <legend>Estimator</legend>
          <label>
            <input
              type="radio"
              name="elbo-form"
              checked={settings.form === 'llada'}
              onChange={() => setSettings({ form: 'llada' })}
            />{' '}
            LLaDA: l ~ U{'{'}1…N{'}'}, weight N / l
          </label>
          <label>
            <input
              type="radio"
              name="elbo-form"
              checked={settings.form === 'article'}
              onChange={() => setSettings({ form: 'article' })}
            />{' '}
            continuous: t ~ U(0, 1], weight 1 / t
          </label>
        </fieldset>
        <NumberField
          label="Draws"
          value={settings.samples}
          min={1}
          max={LIMITS.samples[1]}
          step={1}
          onChange={(v) => v !== null && setSettings({ samples: v })}
        />
        <NumberField
          label="Rows per model call"
          value={settings.rowsPerCall}
          min={1}
          max={LIMITS.rowsPerCall[1]}
          step={1}
          onChange={(v) => v !== null && setSettings({ rowsPerCall: v })}
        />
        <NumberField
          label="Seed"
          value={settings.seed}
          min={0}
          step={1}
          onChange={(v) => v !== null && setSettings({ seed: v })}
        />
        {running ? (
          <button type="button" onClick={stop}>
            Stop
          </button>
        ) : (
          <button
            type="button"
            disabled={!sentence.window || problem !== null || speedRunning}
            title={speedRunning ? 'The speed lab is timing these models; wait for it.' : undefined}
            onClick={() =>
              sentence.window && void start(sentence.window, labelsOf(sentence.window, vocab))
            }
          >
            Score the sentence
          </button>
        )}
      </div>
      {problem && (
        <p role="alert" className="error-panel small">
          {problem}
        </p>
      )}

      {run && (
        <div className="labs-results" data-testid="likelihood-results" data-status={run.status}>
          {run.error && (
            <p role="alert" className="error-panel small">
              {run.error}
            </p>
          )}
          <div className="scroll-x">
            <table className="labs-table">
              <thead>
                <tr>
                  <th>model</th>
                  <th>−log p of the {run.scoredTokens} scored tokens</th>
                  <th>nats / token</th>
                  <th>perplexity</th>
                  <th>how</th>
                </tr>
              </thead>
              <tbody>
                <tr data-testid="likelihood-diffusion">
                  <th scope="row">{pair.diffusion?.id} (diffusion)</th>
                  <td>
                    {last ? (
                      <>
                        ≤ <output data-testid="elbo-mean">{formatNumber(last.mean, 4)}</output> ±{' '}
                        <output data-testid="elbo-se">{formatNumber(last.standardError, 2)}</output>
                      </>
                    ) : (
                      '…'
                    )}
                  </td>
                  <td>{last ? `≤ ${perToken(last.mean, run.scoredTokens)}` : ''}</td>
                  <td>{last ? `≤ ${formatNumber(Math.exp(last.mean / run.scoredTokens))}` : ''}</td>
                  <td className="small">
                    {last
                      ? `Monte Carlo −ELBO, ${last.n} of ${run.settings.samples} draws (${run.settings.form === 'llada' ? 'LLaDA form' : 'continuous t'}), ${last.calls} model calls, ± 1 s.e.`
                      : ''}
                  </td>
                </tr>
                <tr data-testid="likelihood-autoregressive">
                  <th scope="row">{pair.autoregressive?.id} (autoregressive twin)</th>
                  <td>
                    {run.ar ? (
                      <output data-testid="ar-nll">{formatNumber(run.ar.total, 4)}</output>
                    ) : (
                      '…'
                    )}
                  </td>
                  <td>{run.ar ? perToken(run.ar.total, run.scoredTokens) : ''}</td>
                  <td>{run.ar ? formatNumber(Math.exp(run.ar.total / run.scoredTokens)) : ''}</td>
                  <td className="small">{run.ar ? 'exact, one causal model call' : ''}</td>
                </tr>
              </tbody>
            </table>
          </div>
          <LikelihoodChart
            points={run.points}
            samples={run.settings.samples}
            autoregressive={run.ar?.total ?? null}
          />
          <p className="muted small">
            The band is ±1 standard error of the running mean; it narrows as 1/√n
            {run.settings.form === 'article'
              ? ' only in appearance: the continuous form’s variance is infinite'
              : ''}
            . The bound is on the diffusion model’s own likelihood; the twin is a different model,
            so the gap between the two lines mixes the looseness of the bound with how much better
            one model predicts this sentence.
            {run.ms !== null && ` Took ${formatNumber(run.ms / 1000)} s`}
            {run.backends &&
              ` on ${backendLabel(run.backends.diffusion)} and ${backendLabel(run.backends.autoregressive)}`}
            {run.ms !== null && '.'}
          </p>
          {run.ar && (
            <details>
              <summary>The twin’s −log p, token by token</summary>
              <div className="scroll-x">
                <table className="labs-table small" data-testid="ar-per-token">
                  <tbody>
                    <tr>
                      <th scope="row">token</th>
                      {run.tokens.slice(1).map((t, i) => (
                        <td key={i}>{t}</td>
                      ))}
                    </tr>
                    <tr>
                      <th scope="row">−log p</th>
                      {run.ar.perToken.map((v, i) => (
                        <td key={i}>{formatNumber(v, 2)}</td>
                      ))}
                    </tr>
                  </tbody>
                </table>
              </div>
            </details>
          )}
        </div>
      )}
      <details className="lab-how">
        <summary>How this is measured</summary>
        <p className="small">
          A masked-diffusion model gives no likelihood directly, but its training objective bounds
          one: −log p(x) ≤ E<sub>l</sub> E<sub>mask</sub> [ (N / l) Σ<sub>masked i</sub> −log p
          <sub>θ</sub>(x<sub>i</sub> | x<sub>masked</sub>) ]. LLaDA estimates it by Monte Carlo
          (their Eq. 6): draw the number of masked tokens l uniformly from 1 to N, mask l of the N
          positions at random, weight the masked tokens’ −log p by N / l, and average. The article’s
          continuous form draws t ~ U(0, 1], masks each token with probability t and weights by 1 /
          t: the same bound, but a lone masked token at small t gets a huge weight, so its variance
          is infinite and its error bar cannot be trusted. The autoregressive twin needs no
          estimate: one causal pass gives its exact −log p, the sum of −log p(x<sub>i+1</sub> | x
          <sub>≤i</sub>).
        </p>
        <p className="small">
          <strong>Scored tokens, the same for both models:</strong> the {seqLen}-token window after
          its first word — the other words, the first [EOS] and the [EOS] fill to the end, N ={' '}
          {scored} tokens — given the first word. The twin was trained without a start token, so
          nothing predicts its first word; the diffusion model sees that word unmasked in every
          draw. Both numbers are −log p(x₂ … x<sub>{seqLen}</sub> | x₁), in nats.
        </p>
      </details>
    </div>
  );
}

function labelsOf(
  window: Int32Array,
  vocab: { endId: number | null; word(id: number): string },
): string[] {
  return Array.from(window, (id) => (id === vocab.endId ? '[EOS]' : vocab.word(id)));
}

import { memo } from 'react';
import {
  binomialDistribution,
  configurationProbability,
  expectedMaskedCount,
} from '../../core/forwardProcess';
import { BinomialChart } from './BinomialChart';
import { formatNumber } from './format';
import type { MaskConfiguration } from './maskConfiguration';
import { Num, Pow } from './Num';
import { Tex } from './Tex';

/**
 * The forward process in numbers: k of L, t·L, t^k (1 − t)^(L − k), and the binomial of k.
 * The formulas are typeset once; the numbers substituted into them are plain text.
 */
export const ForwardReadouts = memo(function ForwardReadouts({
  config,
  t,
}: {
  config: MaskConfiguration;
  t: number;
}) {
  const { k, L } = config;
  const expected = expectedMaskedCount(t, L);
  const probability = configurationProbability(config.masked.slice(0, L), t);
  const pmf = binomialDistribution(L, t);
  return (
    <div className="explore-readouts" aria-label="Forward process" data-t={t}>
      <h3>The forward process</h3>
      <div className="explore-readout">
        <Tex tex={String.raw`k = \textstyle\sum_{i=1}^{L} \mathbb{1}[x_t^i = \texttt{[MASK]}]`} /> ={' '}
        <output aria-label="Masked count" data-value={k}>
          {k}
        </output>{' '}
        of <output aria-label="Sequence length" data-value={L}>{`L = ${L}`}</output>
      </div>
      <div className="explore-readout">
        <Tex tex={String.raw`\mathbb{E}[k] = t \cdot L`} /> = <Num value={t} /> × {L} ={' '}
        <output aria-label="Expected masked count" data-value={expected}>
          {formatNumber(expected)}
        </output>
      </div>
      <div className="explore-readout">
        <Tex tex={String.raw`q(x_t \mid x_0) = t^{k}(1-t)^{L-k}`} /> = <Pow base={t} exponent={k} />{' '}
        × <Pow base={1 - t} exponent={L - k} /> ={' '}
        <output aria-label="Configuration probability" data-value={probability}>
          <Num value={probability} />
        </output>
        <div className="muted small">
          the probability of exactly this pattern of masks: each token masked with probability t,
          independently.
        </div>
      </div>
      <div className="explore-readout">
        <Tex tex={String.raw`P(k) = \binom{L}{k}\, t^{k} (1-t)^{L-k}`} />, P(k = {k}) ={' '}
        <output aria-label="Probability of k" data-value={pmf[k]}>
          <Num value={pmf[k]} />
        </output>
        <BinomialChart pmf={pmf} k={k} />
      </div>
    </div>
  );
});

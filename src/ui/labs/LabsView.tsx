import { useEffect, useState, type ComponentType } from 'react';
import { useAppStore } from '../../state/store';
import { readHash, writeHash } from '../../state/urlHash';
import { LikelihoodLab } from './LikelihoodLab';
import { ReversalLab } from './ReversalLab';
import { SpeedLab } from './SpeedLab';
import './labs.css';

/**
 * The labs, each testing one of the article's claims on the shipped models, with the claim in
 * one sentence above its figure.
 */
const LABS: { id: string; title: string; claim: string; component: ComponentType }[] = [
  {
    id: 'reversal',
    title: 'Reversal: the curse a diffusion model escapes',
    claim:
      'Trained on couplets in one direction only, the diffusion model writes the first line from the second as well as the second from the first; its autoregressive twin, the same network trained next-token, cannot go backwards.',
    component: ReversalLab,
  },
  {
    id: 'speed',
    title: 'Speed: parallel decoding against the typewriter',
    claim:
      'A diffusion model writes L tokens in S model calls, however long L is; the typewriter needs L calls. Fewer calls cost quality: the chart shows how much.',
    component: SpeedLab,
  },
  {
    id: 'likelihood',
    title: 'Likelihood: the ELBO bound against the exact likelihood',
    claim:
      'A diffusion model gives only a bound on −log p, estimated by Monte Carlo; its twin gives the exact value in one pass. Watch the estimate settle as the draws grow.',
    component: LikelihoodLab,
  },
];

type LabId = (typeof LABS)[number]['id'];
const initialLab = (): LabId => LABS.find((l) => l.id === readHash().lab)?.id ?? LABS[0].id;

/**
 * The labs tab, one lab at a time (its claim, then its figure, then its knobs): opens the
 * diffusion model and its autoregressive twin in lab workers of their own.
 */
export function LabsView() {
  const pair = useAppStore((s) => s.labPair);
  const openPair = useAppStore((s) => s.openLabPair);
  const [lab, setLab] = useState<LabId>(initialLab);
  useEffect(() => {
    void openPair();
  }, [openPair]);
  const current = LABS.find((l) => l.id === lab) ?? LABS[0];
  const Lab = current.component;

  return (
    <section className="view labs" aria-label="Labs">
      <h2>Labs: the article&apos;s claims, measured here</h2>
      <p className="small muted" data-testid="lab-pair" data-status={pair.status}>
        {pair.status === 'ready' && pair.diffusion && pair.autoregressive ? (
          <>
            The diffusion model <strong>{pair.diffusion.id}</strong> and its autoregressive twin{' '}
            <strong>{pair.autoregressive.id}</strong> — the same{' '}
            {String(pair.diffusion.architecture?.layers ?? '?')}-layer Transformer (d ={' '}
            {String(pair.diffusion.architecture?.dModel ?? '?')}), one with bidirectional attention
            trained to unmask, one causal and trained on the next token, on the same corpus — run in
            two workers of their own, apart from the model the other views use.
          </>
        ) : pair.status === 'error' ? (
          <span role="alert" className="error-panel">
            {pair.error}
          </span>
        ) : (
          'Opening the diffusion model and its autoregressive twin…'
        )}
      </p>
      <nav className="tabs labs-tabs" aria-label="Labs">
        {LABS.map((lab) => (
          <button
            key={lab.id}
            type="button"
            aria-pressed={lab.id === current.id}
            onClick={() => {
              setLab(lab.id);
              writeHash({ lab: lab.id });
            }}
          >
            {lab.title.split(':')[0]}
          </button>
        ))}
      </nav>
      <section
        key={current.id}
        id={`lab-${current.id}`}
        className="labs-section"
        aria-label={current.title.split(':')[0]}
      >
        <h3>{current.title}</h3>
        <p className="watch">{current.claim}</p>
        <Lab />
      </section>
    </section>
  );
}

import { useEffect, type ComponentType } from 'react';
import { useAppStore } from '../../state/store';
import { LikelihoodLab } from './LikelihoodLab';
import { ReversalLab } from './ReversalLab';
import { SpeedLab } from './SpeedLab';
import './labs.css';

/** The labs, in page order: each tests one of the article's claims on the shipped models. */
const LABS: { id: string; title: string; component: ComponentType }[] = [
  {
    id: 'reversal',
    title: 'Reversal: the curse a diffusion model escapes',
    component: ReversalLab,
  },
  { id: 'speed', title: 'Speed: parallel decoding against the typewriter', component: SpeedLab },
  {
    id: 'likelihood',
    title: 'Likelihood: the ELBO bound against the exact likelihood',
    component: LikelihoodLab,
  },
];

/** The labs tab: opens the diffusion model and its autoregressive twin in lab workers of their own. */
export function LabsView() {
  const pair = useAppStore((s) => s.labPair);
  const openPair = useAppStore((s) => s.openLabPair);
  useEffect(() => {
    void openPair();
  }, [openPair]);

  return (
    <section className="panel labs" aria-label="Labs">
      <h2>Labs</h2>
      <p className="small" data-testid="lab-pair" data-status={pair.status}>
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
      <nav className="labs-nav small" aria-label="Labs">
        {LABS.map((lab) => (
          <a
            key={lab.id}
            href={`#lab-${lab.id}`}
            onClick={(e) => {
              e.preventDefault();
              document.getElementById(`lab-${lab.id}`)?.scrollIntoView({ behavior: 'smooth' });
            }}
          >
            {lab.title.split(':')[0]}
          </a>
        ))}
      </nav>
      {LABS.map(({ id, title, component: Lab }) => (
        <section
          key={id}
          id={`lab-${id}`}
          className="labs-section"
          aria-label={title.split(':')[0]}
        >
          <h3>{title}</h3>
          <Lab />
        </section>
      ))}
    </section>
  );
}

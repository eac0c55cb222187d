import { memo } from 'react';
import { useAppStore } from '../../state/store';
import type { MaskConfiguration } from './maskConfiguration';

/**
 * The window, one button per position. Under each token its draw u_i: the token is masked
 * exactly when u_i < t, so dragging t right only ever adds masks. Clicking a token inside the
 * scope toggles it, which switches to a hand-picked configuration.
 */
export const TokenStrip = memo(function TokenStrip({
  labels,
  draws,
  config,
}: {
  labels: string[];
  draws: Float64Array;
  config: MaskConfiguration;
}) {
  const pick = useAppStore((s) => s.pickConfiguration);
  const toggle = (i: number) =>
    pick(config.masked.slice(0, config.L).map((m, j) => (j === i ? !m : m)));

  return (
    <div className="explore-tokens" aria-label="Masked sentence" data-k={config.k}>
      {labels.map((word, i) => {
        const inScope = i < config.L;
        const masked = config.masked[i];
        return (
          <button
            key={i}
            type="button"
            className={`explore-token${masked ? ' masked' : ''}${inScope ? '' : ' outside'}`}
            disabled={!inScope}
            aria-pressed={masked}
            data-testid="explore-token"
            data-masked={masked ? 'true' : 'false'}
            data-draw={draws[i]}
            title={
              inScope
                ? `u${i + 1} = ${draws[i].toFixed(3)}: ${config.handPicked ? 'hand-picked' : `masked when t > u`}. Click to toggle.`
                : 'Outside the masked scope'
            }
            onClick={() => toggle(i)}
          >
            {/* The name is the visible text, with the position said first for screen readers. */}
            <span className="sr-only">Position {i + 1}: </span>
            <span className="explore-token-word">{masked ? '[MASK]' : word}</span>
            <span className="explore-token-under">{masked ? word : '\u00a0'}</span>
            <span className="explore-token-draw">{inScope ? `u ${draws[i].toFixed(2)}` : '—'}</span>
          </button>
        );
      })}
    </div>
  );
});

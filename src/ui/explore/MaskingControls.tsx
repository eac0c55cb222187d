import { useState, type KeyboardEvent } from 'react';
import { useAppStore } from '../../state/store';
import { formatNumber } from './format';

export const BERT_RATIO = 0.15;

/** Arrow keys move t by 0.01 (0.1 with Shift, as do Page Up / Down); Home / End go to 0 / 1. */
function keyStep(e: KeyboardEvent): number | 'home' | 'end' | null {
  const big = 0.1;
  const small = e.shiftKey ? big : 0.01;
  switch (e.key) {
    case 'ArrowRight':
    case 'ArrowUp':
      return small;
    case 'ArrowLeft':
    case 'ArrowDown':
      return -small;
    case 'PageUp':
      return big;
    case 'PageDown':
      return -big;
    case 'Home':
      return 'home';
    case 'End':
      return 'end';
    default:
      return null;
  }
}

/** The masking-ratio slider, its typed value, and the buttons that move the draws or t. */
export function MaskingControls({ handPicked }: { handPicked: boolean }) {
  const t = useAppStore((s) => s.explorer.t);
  const setT = useAppStore((s) => s.setMaskingRatio);
  const reroll = useAppStore((s) => s.rerollDraws);
  const followDraws = useAppStore((s) => s.followDraws);
  // The typed text while a person edits it; the store's t otherwise.
  const [draft, setDraft] = useState<string | null>(null);

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    const step = keyStep(e);
    if (step === null) return;
    e.preventDefault();
    setT(step === 'home' ? 0 : step === 'end' ? 1 : Math.min(1, Math.max(0, t + step)));
  };

  return (
    <div className="explore-controls">
      <label className="explore-slider">
        <span>Masking ratio</span>
        <input
          type="range"
          aria-label="Masking ratio"
          min={0}
          max={1}
          step={0.001}
          value={t}
          onChange={(e) => setT(Number(e.target.value))}
          onKeyDown={onKeyDown}
        />
      </label>
      <label>
        t ={' '}
        <input
          type="number"
          aria-label="Masking ratio value"
          min={0}
          max={1}
          step={0.001}
          value={draft ?? String(t)}
          onChange={(e) => {
            setDraft(e.target.value);
            const v = Number(e.target.value);
            if (e.target.value.trim() !== '' && v >= 0 && v <= 1) setT(v);
          }}
          onBlur={() => setDraft(null)}
          onKeyDown={(e) => e.key === 'Enter' && setDraft(null)}
        />
      </label>
      <output aria-label="Masking ratio shown" data-value={t} className="explore-t">
        {formatNumber(t, 3)}
      </output>
      <button type="button" onClick={reroll} title="New uniform draws u_i for every position">
        Re-roll
      </button>
      <button type="button" onClick={() => setT(BERT_RATIO)} title="BERT's fixed masking rate">
        t = 0.15 (BERT)
      </button>
      {handPicked && (
        <span className="explore-picked" role="status">
          Hand-picked configuration: the slider now moves only t.{' '}
          <button type="button" onClick={followDraws}>
            Follow the draws
          </button>
        </span>
      )}
    </div>
  );
}

import { CELL_STATES } from './cells';
import { confidenceColour, textOn } from './confidenceScale';
import { CELL_STATE_TEXT, UNSEEN_TEXT } from './TokenStrip';

// The confidence scale as a CSS gradient, from the same d3 scale the cells use.
const CONFIDENCE_RAMP = `linear-gradient(to right, ${[0, 0.25, 0.5, 0.75, 1].map(confidenceColour).join(', ')})`;

/** What the strip's cell styles and colours mean. */
export function Legend() {
  return (
    <div className="gen-legend small" role="note" aria-label="Legend">
      {CELL_STATES.map((s) => (
        <span key={s} className="gen-legend-item">
          <span
            className={`cell gen-legend-swatch cell-${s}`}
            aria-hidden="true"
            style={
              s === 'new' || s === 'edited'
                ? { backgroundColor: confidenceColour(0.85), color: textOn(confidenceColour(0.85)) }
                : s === 'kept'
                  ? {
                      backgroundColor: `color-mix(in srgb, ${confidenceColour(0.85)} 28%, var(--kept-mix))`,
                    }
                  : undefined
            }
          >
            {s === 'discarded' || s === 'sent-back' ? (
              <span className="cell-struck static">cat</span>
            ) : s === 'edited' ? (
              <>
                <span className="cell-was">dog</span>cat
              </>
            ) : (
              'cat'
            )}
          </span>
          {CELL_STATE_TEXT[s]}
        </span>
      ))}
      <span className="gen-legend-item">
        <span className="cell gen-legend-swatch cell-masked cell-unseen" aria-hidden="true" />
        hatched: {UNSEEN_TEXT}
      </span>
      <span className="gen-legend-item">
        confidence{' '}
        <span className="ramp" aria-hidden="true" style={{ background: CONFIDENCE_RAMP }} /> low →
        high
      </span>
    </div>
  );
}

import { CELL_STATES } from './cells';
import { confidenceColour } from './confidenceScale';
import { CELL_STATE_TEXT, UNSEEN_TEXT } from './TokenStrip';

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
                ? { backgroundColor: confidenceColour(0.85) }
                : s === 'kept'
                  ? { backgroundColor: `color-mix(in srgb, ${confidenceColour(0.85)} 28%, white)` }
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
        confidence <span className="ramp ramp-confidence" aria-hidden="true" /> low → high
      </span>
    </div>
  );
}

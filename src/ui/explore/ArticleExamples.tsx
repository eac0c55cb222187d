import { memo } from 'react';
import { configurationProbability, expectedMaskedCount } from '../../core/forwardProcess';
import { useAppStore } from '../../state/store';
import { formatNumber } from './format';
import { Tex } from './Tex';

// The article's forward-process example: "The cat sat here", 2nd and 4th masked, t = 0.3.
const FORWARD = { masked: [false, true, false, true], t: 0.3 };

/** The article's own numbers, computed by src/core, and buttons that set the view up to match. */
export const ArticleExamples = memo(function ArticleExamples() {
  const load = useAppStore((s) => s.loadArticleExample);
  const probability = configurationProbability(FORWARD.masked, FORWARD.t);
  const expected = expectedMaskedCount(FORWARD.t, FORWARD.masked.length);
  return (
    <div className="explore-article" aria-label="The article's examples">
      <strong>The article’s numbers.</strong> “the cat sat here” with the 2nd and 4th tokens masked
      at t = 0.3: <Tex tex={String.raw`0.7 \times 0.3 \times 0.7 \times 0.3 =`} />{' '}
      <output aria-label="Article configuration probability" data-value={probability}>
        {formatNumber(probability)}
      </output>
      , expected masked count <Tex tex={String.raw`0.3 \times 4 =`} />{' '}
      <output aria-label="Article expected count" data-value={expected}>
        {formatNumber(expected)}
      </output>
      .{' '}
      <button type="button" onClick={() => load('forward')}>
        Use the article’s example
      </button>{' '}
      <button type="button" onClick={() => load('loss')}>
        Use the article’s loss example
      </button>{' '}
      <span className="muted small">
        (the loss example masks the 2nd and 3rd tokens at t = 0.5). Both count L over the sentence’s
        own four words.
      </span>
    </div>
  );
});

import katex from 'katex';
import 'katex/dist/katex.min.css';
import { memo } from 'react';

/**
 * A formula typeset by KaTeX. Memoised on the TeX string: while t is dragged only the formulas
 * whose numbers changed are typeset again.
 */
export const Tex = memo(function Tex({ tex, display = false }: { tex: string; display?: boolean }) {
  const html = katex.renderToString(tex, { throwOnError: false, displayMode: display });
  return (
    <span
      className={display ? 'tex tex-display' : 'tex'}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
});

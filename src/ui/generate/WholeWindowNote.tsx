import type { ModelManifest } from '../../model/manifest';

/**
 * What a model without an end token changes (its manifest names [MASK] alone, like the
 * article's DiffusionLM): it cannot stop early, so it writes every position of its window.
 */
export function WholeWindowNote({ manifest }: { manifest: ModelManifest }) {
  if (manifest.special.eos !== undefined) return null;
  return (
    <p className="muted small" role="note" aria-label="No end token">
      This model has no [EOS] token, so it cannot end a text early: it writes every position of its
      window of {manifest.seqLen} after the prompt, and Length does not apply. A prompt and pinned
      words need no padding.
    </p>
  );
}

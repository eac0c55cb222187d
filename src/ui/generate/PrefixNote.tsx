import type { TraceRecord } from '../../core/sampler';

/**
 * Under the strip, for a block-causal call (LLaDA2.0, 2.1): which positions the model was given.
 * On the app's fixed-window models the rest of the window goes in as [MASK], so nothing about
 * those positions reaches the model (src/core/sampler/README.md, "Prefix calls").
 */
export function PrefixNote({ record, length }: { record: TraceRecord | null; length: number }) {
  if (!record || record.inputLength >= length) return null;
  const seen = record.inputLength;
  return (
    <p className="prefix-note small muted" data-testid="prefix-note" data-seen={seen}>
      Model call {record.call + 1} saw positions 1–{seen} only (block-causal: up to the end of its
      block); positions {seen + 1}–{length}, hatched, were given to it as [MASK] and got no guess.
    </p>
  );
}

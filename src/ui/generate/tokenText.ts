import type { ModelManifest } from '../../model/manifest';

/** What labelling tokens needs: a package's manifest, or a corpus's vocabulary in its shape. */
export type TokenNames = Pick<ModelManifest, 'vocab' | 'special'>;

/**
 * A token as a reader sees it: the mask as [M], end-of-text as ⏎ (it fills the window), a space
 * (a character-level vocabulary's) as ␣.
 */
export function tokenLabel(manifest: TokenNames, id: number): string {
  if (id === manifest.special.mask) return '[M]';
  if (id === manifest.special.eos) return '⏎';
  if (id === manifest.special.pad) return '·';
  const token = manifest.vocab[id];
  return token === ' ' ? '␣' : (token ?? `#${id}`);
}

/** The sentence in a finished window: words up to the first end-of-text, specials dropped. */
export function sentenceText(manifest: TokenNames, ids: readonly number[]): string {
  const words: string[] = [];
  for (const id of ids) {
    if (id === manifest.special.eos) break;
    if (id === manifest.special.pad) continue;
    words.push(id === manifest.special.mask ? '[MASK]' : (manifest.vocab[id] ?? `#${id}`));
  }
  return words.join(' ');
}

/**
 * Settings from the page's link (the URL hash) that could not be used, and why: a link that
 * says thr=NaN or strategy=nope runs with the defaults, and the person is told which ones.
 */
import type { StateCreator } from 'zustand';
import { readConfigFromHash, type IgnoredSetting } from './generationConfig';
import { readHash, type HashParams } from './urlHash';

export const PROVIDER_CHOICES = ['auto', 'webgpu', 'wasm'] as const;

export interface LinkSlice {
  /** Shown until dismissed; the page runs with what is used instead. */
  linkIgnored: IgnoredSetting[];
  noteLinkIgnored: (items: IgnoredSetting[]) => void;
  dismissLinkIgnored: () => void;
}

/** What the link says that is ignored at once (the model id waits for the list of models). */
export function ignoredInLink(h: HashParams): IgnoredSetting[] {
  const ignored = [...readConfigFromHash(h).ignored];
  if (h.ep !== undefined && !PROVIDER_CHOICES.some((p) => p === h.ep)) {
    ignored.push({
      key: 'ep',
      value: h.ep,
      reason: `Execution provider: "${h.ep}" is none of ${PROVIDER_CHOICES.join(', ')}, so auto is used`,
    });
  }
  return ignored;
}

export const createLinkSlice: StateCreator<LinkSlice, [], [], LinkSlice> = (set, get) => ({
  linkIgnored: ignoredInLink(readHash()),
  noteLinkIgnored(items) {
    // The same note twice (the models listed again) says nothing new.
    const known = get().linkIgnored;
    const fresh = items.filter(
      (i) => !known.some((k) => k.key === i.key && k.value === i.value && k.reason === i.reason),
    );
    if (fresh.length > 0) set({ linkIgnored: [...known, ...fresh] });
  },
  dismissLinkIgnored() {
    set({ linkIgnored: [] });
  },
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchText } from '../runtime/earlyFetch';
import { openingModelId, prefetchArrivalFiles } from './arrivalPrefetch';

afterEach(() => vi.unstubAllGlobals());

describe('the arrival prefetch', () => {
  it("opens the link's model, else the default", () => {
    expect(openingModelId('')).toBe('toy-sentences');
    expect(openingModelId('#steps=4&model=couplets')).toBe('couplets');
  });

  it("starts the opening package's manifest and trace, which the app then takes", async () => {
    const calls: string[] = [];
    vi.stubGlobal('location', { hash: '#model=couplets' });
    vi.stubGlobal('fetch', (url: string) => {
      calls.push(url);
      return Promise.resolve({ ok: true, text: () => Promise.resolve(url) });
    });
    prefetchArrivalFiles('/');
    expect(calls).toEqual([
      '/models/couplets/manifest.json',
      '/models/couplets/arrival-trace.json',
    ]);
    expect(await fetchText('/models/couplets/arrival-trace.json')).toBe(
      '/models/couplets/arrival-trace.json',
    );
    expect(calls).toHaveLength(2);
  });
});

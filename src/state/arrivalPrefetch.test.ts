import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchText } from '../runtime/earlyFetch';
import {
  DEFAULT_RUN_HASH,
  linkShowsDefaultRun,
  openingModelId,
  prefetchArrivalFiles,
} from './arrivalPrefetch';
import { configToHash, DEFAULT_CONFIG } from './generationConfig';

afterEach(() => vi.unstubAllGlobals());

describe('the arrival prefetch', () => {
  it("opens the link's model, else the default", () => {
    expect(openingModelId('')).toBe('toy-sentences');
    expect(openingModelId('#steps=4&model=couplets')).toBe('couplets');
  });

  it("starts the opening package's manifest and trace, which the app then takes", async () => {
    const calls: string[] = [];
    vi.stubGlobal('location', { hash: '#model=couplets&view=train&seed=1' });
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

  it('knows the default settings as the configuration writes them', () => {
    expect(DEFAULT_RUN_HASH).toEqual(configToHash(DEFAULT_CONFIG));
    expect(linkShowsDefaultRun({})).toBe(true);
    expect(linkShowsDefaultRun({ model: 'couplets', ep: 'wasm', view: 'labs', seed: '1' })).toBe(
      true,
    );
    expect(linkShowsDefaultRun({ seed: '2' })).toBe(false);
    expect(linkShowsDefaultRun({ steps: '16', prompt: 'the cat' })).toBe(false);
    expect(linkShowsDefaultRun(configToHash({ ...DEFAULT_CONFIG, eosLast: false }))).toBe(false);
  });

  it('does not download the recorded run for a link with other settings', async () => {
    const calls: string[] = [];
    vi.stubGlobal('location', { hash: '#seed=2' });
    vi.stubGlobal('fetch', (url: string) => {
      calls.push(url);
      return Promise.resolve({ ok: true, text: () => Promise.resolve(url) });
    });
    prefetchArrivalFiles('/');
    expect(calls).toEqual(['/models/toy-sentences/manifest.json']);
    // The model's download takes the manifest; a second read fetches it again.
    expect(await fetchText('/models/toy-sentences/manifest.json')).toBe(
      '/models/toy-sentences/manifest.json',
    );
    expect(calls).toHaveLength(1);
    await fetchText('/models/toy-sentences/manifest.json');
    expect(calls).toHaveLength(2);
  });
});

import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchText, fetchTextEarly, packageFileUrl, takeEarlyText } from './earlyFetch';

/** A fetch that answers each URL with its own name (404 for names starting with "missing"). */
function stubFetch() {
  const calls: string[] = [];
  vi.stubGlobal('fetch', (url: string) => {
    calls.push(url);
    const ok = !url.includes('missing');
    return Promise.resolve({ ok, text: () => Promise.resolve(`text of ${url}`) });
  });
  return calls;
}

afterEach(() => vi.unstubAllGlobals());

describe('early fetches', () => {
  it('hands an early fetch to the first caller of the same URL, once', async () => {
    const calls = stubFetch();
    fetchTextEarly('/a');
    fetchTextEarly('/a'); // started already: no second request
    expect(calls).toEqual(['/a']);
    expect(await fetchText('/a')).toBe('text of /a');
    expect(calls).toEqual(['/a']);
    // Taken: a later caller fetches again (the browser's cache decides what crosses the wire).
    expect(await fetchText('/a')).toBe('text of /a');
    expect(calls).toEqual(['/a', '/a']);
  });

  it('serves as many takers as it was started for, with one request', async () => {
    const calls = stubFetch();
    fetchTextEarly('/m', 2);
    expect(await fetchText('/m')).toBe('text of /m');
    expect(await takeEarlyText('/m')).toBe('text of /m');
    expect(takeEarlyText('/m')).toBeNull();
    expect(calls).toEqual(['/m']);
  });

  it('fetches now when nothing was started, and gives null for an HTTP error', async () => {
    const calls = stubFetch();
    expect(await fetchText('/b')).toBe('text of /b');
    fetchTextEarly('/missing');
    expect(await fetchText('/missing')).toBeNull();
    expect(calls).toEqual(['/b', '/missing']);
  });

  it('keeps a network failure for the caller that takes it', async () => {
    vi.stubGlobal('fetch', () => Promise.reject(new TypeError('offline')));
    fetchTextEarly('/c');
    await expect(fetchText('/c')).rejects.toThrow('offline');
  });

  it('names a shipped package file under the base URL', () => {
    expect(packageFileUrl('toy sentences', 'manifest.json', '/unmask/')).toBe(
      '/unmask/models/toy%20sentences/manifest.json',
    );
  });
});

/**
 * Text files whose fetch starts before the app's code has loaded: the entry module starts it
 * (a request is then in flight while the app's chunk downloads and runs), and the first caller
 * that asks for the same URL takes that response instead of fetching again. Kept tiny: it is
 * part of the entry chunk.
 */
const early = new Map<string, Promise<string | null>>();

/** The text of a URL, or null for an HTTP error; a network failure rejects. */
function fetchTextNow(url: string): Promise<string | null> {
  return fetch(url).then((r) => (r.ok ? r.text() : null));
}

/** Starts fetching the URL now, for a later fetchText of the same URL. */
export function fetchTextEarly(url: string): void {
  if (early.has(url)) return;
  const pending = fetchTextNow(url);
  // A failure is reported to the caller that takes it, not as an unhandled rejection now.
  pending.catch(() => undefined);
  early.set(url, pending);
}

/** The URL's text: the early fetch's if one was started (once), else a fetch now. */
export function fetchText(url: string): Promise<string | null> {
  const pending = early.get(url);
  if (pending) {
    early.delete(url);
    return pending;
  }
  return fetchTextNow(url);
}

/** Where a shipped package's file is served. */
export function packageFileUrl(id: string, name: string, base: string): string {
  return `${base}models/${encodeURIComponent(id)}/${name}`;
}

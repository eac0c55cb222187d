/**
 * Text files whose fetch starts before the app's code has loaded: the entry module starts it
 * (a request is then in flight while the app's chunk downloads and runs), and the first caller
 * that asks for the same URL takes that response instead of fetching again. Kept tiny: it is
 * part of the entry chunk.
 */
const early = new Map<string, { pending: Promise<string | null>; takers: number }>();

/** The text of a URL, or null for an HTTP error; a network failure rejects. */
function fetchTextNow(url: string, init?: RequestInit): Promise<string | null> {
  return fetch(url, init).then((r) => (r.ok ? r.text() : null));
}

/**
 * Starts fetching the URL now, for the next `takers` callers that ask for it (a manifest is
 * read by the arrival run and by the model's download: one request serves both).
 */
export function fetchTextEarly(url: string, takers = 1, init?: RequestInit): void {
  if (early.has(url)) return;
  const pending = fetchTextNow(url, init);
  // A failure is reported to the caller that takes it, not as an unhandled rejection now.
  pending.catch(() => undefined);
  early.set(url, { pending, takers });
}

/** The early fetch of a URL, if one was started and not yet taken by all its takers. */
export function takeEarlyText(url: string): Promise<string | null> | null {
  const entry = early.get(url);
  if (!entry) return null;
  if (--entry.takers <= 0) early.delete(url);
  return entry.pending;
}

/** The URL's text: the early fetch's if one was started, else a fetch now. */
export function fetchText(url: string): Promise<string | null> {
  return takeEarlyText(url) ?? fetchTextNow(url);
}

/** Where a shipped package's file is served. */
export function packageFileUrl(id: string, name: string, base: string): string {
  return `${base}models/${encodeURIComponent(id)}/${name}`;
}

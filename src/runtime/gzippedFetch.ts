/**
 * Fetches a file shipped gzipped (scripts/vite/gzippedAssets.ts) and returns its original
 * bytes. A host that labels the .gz with Content-Encoding: gzip makes the browser inflate it
 * already; the gzip magic number tells which arrived.
 */
export async function fetchGzipped(
  url: string,
  fetchImpl: typeof fetch = fetch,
): Promise<Uint8Array<ArrayBuffer>> {
  const response = await fetchImpl(url);
  if (!response.ok) {
    throw new Error(`could not download ${url}: HTTP ${response.status} ${response.statusText}`);
  }
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (!isGzip(bytes)) return bytes;
  const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(inflated).arrayBuffer());
}

/** The gzip magic number (RFC 1952): 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

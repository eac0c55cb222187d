import { parseManifest, type ModelManifest } from '../model/manifest';
import { fetchText, packageFileUrl, takeEarlyText } from './earlyFetch';

/** Bump when the cached bytes' meaning changes, so stale models are never served. */
const CACHE_NAME = 'unmask-models-v1';

export interface DownloadProgress {
  loaded: number;
  /** Total bytes when the server says so. */
  total: number | null;
  fromCache: boolean;
}

export interface LoadedPackage {
  manifest: ModelManifest;
  onnx: ArrayBuffer;
  /** Where it came from, for the UI ("models/toy-sentences/", or a file name). */
  source: string;
}

export async function listShippedPackages(base = import.meta.env.BASE_URL): Promise<string[]> {
  const res = await fetch(`${base}models/index.json`);
  if (!res.ok) throw new Error(`could not list the shipped models (${res.status})`);
  const body = (await res.json()) as { packages?: string[] };
  return body.packages ?? [];
}

/** Progress is reported at most this often (ms): a store update re-renders the panel. */
const PROGRESS_MS = 100;

/**
 * Reads a stream into one buffer, reporting progress at its start, at most every PROGRESS_MS
 * while it reads, and at its end. `limit`: more bytes than this is an error (a file that grew).
 */
async function readStream(
  stream: ReadableStream<Uint8Array>,
  total: number | null,
  onProgress: (p: DownloadProgress) => void,
  fromCache: boolean,
  now: () => number,
  limit = Infinity,
): Promise<ArrayBuffer> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  let reported = now();
  onProgress({ loaded: 0, total, fromCache });
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (loaded + value.byteLength > limit) throw new Error('the file grew while it was read');
    chunks.push(value);
    loaded += value.byteLength;
    if (now() - reported >= PROGRESS_MS) {
      reported = now();
      onProgress({ loaded, total, fromCache });
    }
  }
  onProgress({ loaded, total, fromCache });
  const out = new Uint8Array(loaded);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out.buffer;
}

async function readWithProgress(
  res: Response,
  onProgress: (p: DownloadProgress) => void,
  fromCache: boolean,
) {
  const total = Number(res.headers.get('Content-Length')) || null;
  if (!res.body) {
    const buf = await res.arrayBuffer();
    onProgress({ loaded: buf.byteLength, total: buf.byteLength, fromCache });
    return buf;
  }
  return readStream(res.body, total, onProgress, fromCache, () => performance.now());
}

function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16);
}

/** Fetches a file through the Cache API, keyed by URL plus a content tag from the manifest. */
async function fetchCached(url: string, tag: string, onProgress: (p: DownloadProgress) => void) {
  const key = `${url}?v=${encodeURIComponent(tag)}`;
  const cache =
    typeof caches !== 'undefined' ? await caches.open(CACHE_NAME).catch(() => null) : null;
  const hit = await cache?.match(key);
  if (hit) return readWithProgress(hit, onProgress, true);
  const res = await fetch(url);
  if (!res.ok) throw new Error(`could not download ${url} (${res.status} ${res.statusText})`);
  const buf = await readWithProgress(res, onProgress, false);
  await cache
    ?.put(
      key,
      new Response(buf.slice(0), { headers: { 'Content-Length': String(buf.byteLength) } }),
    )
    .catch(() => undefined);
  return buf;
}

async function fetchManifestText(url: string): Promise<string> {
  const res = await fetch(url, { cache: 'no-cache' });
  if (!res.ok) throw new Error(`could not download ${url} (${res.status})`);
  return res.text();
}

/** Downloads a shipped package: manifest first (validated), then the .onnx with progress. */
export async function fetchShippedPackage(
  id: string,
  onProgress: (p: DownloadProgress) => void,
  base = import.meta.env.BASE_URL,
): Promise<LoadedPackage> {
  const manifestUrl = packageFileUrl(id, 'manifest.json', base);
  // The entry module's early fetch of the manifest when there is one (arrivalPrefetch.ts).
  const text =
    (await takeEarlyText(manifestUrl)?.catch(() => null)) ?? (await fetchManifestText(manifestUrl));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${manifestUrl} is not valid JSON`, { cause: e });
  }
  const manifest = parseManifest(json);
  // A retrained package has a new manifest (training record), so its hash versions the cache.
  const tag = fnv1a(text);
  const onnx = await fetchCached(packageFileUrl(id, manifest.onnx, base), tag, onProgress);
  return { manifest, onnx, source: `models/${id}/` };
}

/**
 * The largest .onnx the page reads. Opening a model holds its bytes about three times (the file
 * read here, the copy handed to the inference worker, the session's weights inside
 * onnxruntime-web's WebAssembly memory, which holds at most 4 GiB in all), so a larger file
 * would fail only after seconds of reading and gigabytes of memory.
 */
export const MAX_ONNX_BYTES = 512 * 1024 * 1024;
/** A manifest is a few kilobytes (a 100,000-token vocabulary is about 1 MB). */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

/** A user's file that is refused before (or while) it is read; the summary heads the message. */
export class PackageFileError extends Error {
  constructor(
    readonly summary: string,
    readonly problems: string[],
  ) {
    super([summary, ...problems].join(' '));
    this.name = 'PackageFileError';
  }
}

const formatBytes = (n: number) =>
  n < 1024 * 1024 ? `${(n / 1024).toFixed(0)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`;

/**
 * A user's own package from two files chosen or dropped in the page. Sizes are checked before
 * anything is read; the manifest is checked before the model is read; the model is read with
 * progress.
 */
export async function readUserPackage(
  onnxFile: File,
  manifestFile: File,
  onProgress: (p: DownloadProgress) => void = () => undefined,
  now: () => number = () => performance.now(),
): Promise<LoadedPackage> {
  const tooLarge: string[] = [];
  if (onnxFile.size > MAX_ONNX_BYTES) {
    tooLarge.push(
      `the model file ${onnxFile.name} is ${formatBytes(onnxFile.size)}; the page opens models of at most ${formatBytes(MAX_ONNX_BYTES)} (onnxruntime-web holds a model in WebAssembly memory of at most 4 GB, and opening one needs its bytes about three times over)`,
    );
  }
  if (manifestFile.size > MAX_MANIFEST_BYTES) {
    tooLarge.push(
      `the manifest ${manifestFile.name} is ${formatBytes(manifestFile.size)}; a manifest is at most ${formatBytes(MAX_MANIFEST_BYTES)} (did you choose the model as the manifest?)`,
    );
  }
  if (tooLarge.length > 0) {
    throw new PackageFileError('Nothing was read: the files are too large.', tooLarge);
  }
  let json: unknown;
  try {
    json = JSON.parse(await manifestFile.text());
  } catch (e) {
    throw new Error(`${manifestFile.name} is not valid JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
  const manifest = parseManifest(json);
  const onnx = await readStream(
    onnxFile.stream(),
    onnxFile.size,
    onProgress,
    false,
    now,
    onnxFile.size,
  );
  return { manifest, onnx, source: onnxFile.name };
}

/**
 * A shipped package's manifest and its arrival trace (the default run, precomputed), fetched
 * without the model so the generation view can play it at once; null when the package has none.
 */
export async function fetchArrivalFiles(
  id: string,
  traceFile: string,
  base = import.meta.env.BASE_URL,
): Promise<{ manifest: ModelManifest; traceText: string } | null> {
  // fetchText takes a fetch the entry module started early (state/arrivalPrefetch.ts).
  const get = (name: string) => fetchText(packageFileUrl(id, name, base));
  const [manifestText, traceText] = await Promise.all([get('manifest.json'), get(traceFile)]);
  if (manifestText === null || traceText === null) return null;
  return { manifest: parseManifest(JSON.parse(manifestText)), traceText };
}

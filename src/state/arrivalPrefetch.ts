/**
 * The recorded arrival run's files, fetched from the entry module before the app's chunk has
 * even loaded (issue 12: a run animating within 1 s of navigation). Without this the fetch
 * started only once the app had rendered, and the app's download and evaluation came first.
 * Kept tiny: it is part of the entry chunk (no sampler, no store).
 */
import { fetchTextEarly, packageFileUrl } from '../runtime/earlyFetch';
import { readHash } from './urlHash';

export const DEFAULT_MODEL_ID = 'toy-sentences';
export const ARRIVAL_TRACE_FILE = 'arrival-trace.json';

/** The package the page opens: the link's, else the default. */
export function openingModelId(hash?: string): string {
  return readHash(hash).model ?? DEFAULT_MODEL_ID;
}

/** Starts fetching the opening package's arrival files (fetchArrivalFiles takes them). */
export function prefetchArrivalFiles(base = import.meta.env.BASE_URL): void {
  const id = openingModelId();
  // The manifest is read twice, by the arrival run and by the model's download, which
  // revalidates it (no-cache: its hash versions the cached .onnx).
  fetchTextEarly(packageFileUrl(id, 'manifest.json', base), 2, { cache: 'no-cache' });
  fetchTextEarly(packageFileUrl(id, ARRIVAL_TRACE_FILE, base));
}

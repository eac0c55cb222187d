/**
 * The recorded arrival run's files, fetched from the entry module before the app's chunk has
 * even loaded (issue 12: a run animating within 1 s of navigation). Without this the fetch
 * started only once the app had rendered, and the app's download and evaluation came first.
 * Kept tiny: it is part of the entry chunk (no sampler, no store).
 */
import { fetchTextEarly, packageFileUrl } from '../runtime/earlyFetch';
import { type HashParams, readHash } from './urlHash';

export const DEFAULT_MODEL_ID = 'toy-sentences';
export const ARRIVAL_TRACE_FILE = 'arrival-trace.json';

/**
 * The default generation settings as a link writes them: configToHash(DEFAULT_CONFIG), written
 * out here so that the entry chunk need not load the configuration's code (a test keeps the two
 * equal). The recorded run is that configuration's run.
 */
export const DEFAULT_RUN_HASH: Readonly<HashParams> = {
  strategy: 'article',
  steps: '16',
  block: '',
  len: '',
  temp: '1',
  topk: '',
  topp: '',
  thr: '0.9',
  remask: 'cap',
  eta: '0.1',
  eoslast: '1',
  ethr: '0.9',
  floor: '1',
  post: '16',
  gamma: '1',
  dusbase: '2',
  dusremask: 'none',
  dusthr: '0.5',
  seed: '1',
  prompt: '',
  pins: '',
  compare: '0',
  strategyB: 'llada.low_confidence',
  stepsB: '16',
  blockB: '',
};

/**
 * Whether a link's generation settings are the defaults (a setting it leaves out is): only
 * then can the recorded run be shown, so only then is it worth its download (66 kB).
 */
export function linkShowsDefaultRun(params: HashParams): boolean {
  return Object.entries(DEFAULT_RUN_HASH).every(
    ([key, value]) => params[key] === undefined || params[key] === value,
  );
}

/** The package the page opens: the link's, else the default. */
export function openingModelId(hash?: string): string {
  return readHash(hash).model ?? DEFAULT_MODEL_ID;
}

/**
 * Starts fetching the opening package's files (fetchArrivalFiles and the model's download take
 * them): its manifest, and the recorded run when the link's settings are the defaults.
 */
export function prefetchArrivalFiles(base = import.meta.env.BASE_URL): void {
  const params = readHash();
  const id = params.model ?? DEFAULT_MODEL_ID;
  const arrival = linkShowsDefaultRun(params);
  // The manifest is read by the model's download, which revalidates it (no-cache: its hash
  // versions the cached .onnx), and by the arrival run when there is one.
  fetchTextEarly(packageFileUrl(id, 'manifest.json', base), arrival ? 2 : 1, {
    cache: 'no-cache',
  });
  if (arrival) fetchTextEarly(packageFileUrl(id, ARRIVAL_TRACE_FILE, base));
}

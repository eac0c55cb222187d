import { Worker } from 'node:worker_threads';

/**
 * Starts a worker thread on a TypeScript file. tsx's loader hooks do not reach worker threads
 * by themselves, so a tiny ES module bootstrap registers them before importing the file.
 */
export function startTsWorker(fileUrl: URL, workerData?: unknown): Worker {
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(fileUrl.href)});`;
  return new Worker(new URL('data:text/javascript,' + encodeURIComponent(boot)), { workerData });
}

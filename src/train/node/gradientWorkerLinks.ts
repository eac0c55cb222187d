/**
 * Gradient workers on Node's worker threads, under tsx (the bench and the tests): the CPU
 * backend's extra threads where the page would start Web Workers.
 */
import { Worker } from 'node:worker_threads';
import type { FromGradientWorker, GradientWorkerLink } from '../gradientShards';

/**
 * Starts `count` workers. tsx's loader hooks do not reach worker threads by themselves, so a
 * tiny ES module bootstrap registers them before importing the TypeScript entry.
 */
export function startNodeGradientWorkers(count: number): GradientWorkerLink[] {
  const entry = new URL('./gradientWorker.ts', import.meta.url);
  const api = import.meta.resolve('tsx/esm/api');
  const boot = `import { register } from ${JSON.stringify(api)}; register(); await import(${JSON.stringify(entry.href)});`;
  return Array.from({ length: count }, () => {
    const worker = new Worker(new URL('data:text/javascript,' + encodeURIComponent(boot)));
    return {
      post: (message) => worker.postMessage(message),
      onReply: (handler: (reply: FromGradientWorker) => void) => {
        worker.on('message', handler);
        worker.on('error', (e) => handler({ type: 'error', message: e.message }));
      },
      terminate: () => void worker.terminate(),
    };
  });
}

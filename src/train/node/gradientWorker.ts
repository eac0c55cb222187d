/**
 * A gradient worker thread of the CPU backend in Node (the grammatical bench): the page's
 * gradientWorker.ts on worker_threads.
 */
import { parentPort } from 'node:worker_threads';
import { gradientWorkerHandler, type ToGradientWorker } from '../gradientShards';

const handle = gradientWorkerHandler();
parentPort!.on('message', (message: ToGradientWorker) => {
  const reply = handle(message);
  if (reply) parentPort!.postMessage(reply);
});

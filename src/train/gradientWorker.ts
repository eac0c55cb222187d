/// <reference lib="webworker" />
/**
 * A gradient worker of the page's CPU backend (gradientShards.ts): started by the training
 * worker, one per extra core, it computes the gradient of its shard of each batch.
 */
import { gradientWorkerHandler, type ToGradientWorker } from './gradientShards';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const handle = gradientWorkerHandler();
scope.onmessage = (event: MessageEvent<ToGradientWorker>) => {
  const reply = handle(event.data);
  if (reply) scope.postMessage(reply);
};

import { WorkerDenoiser } from '../runtime/workerDenoiser';

// One inference worker for the page; created on first use so tests of the store need no Worker.
let instance: WorkerDenoiser | null = null;

export function getDenoiser(): WorkerDenoiser {
  if (!instance) instance = new WorkerDenoiser();
  return instance;
}

/**
 * Runs async tasks one at a time, in the order they were queued. An onnxruntime-web session must
 * not run two calls at once, yet two samplers in the worker (side-by-side runs) and the page's
 * own requests all share it: each model call takes its turn here, so they interleave call by call.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task);
    // The next task waits for this one to settle, whether it succeeded or not.
    this.tail = result.catch(() => undefined);
    return result;
  }
}

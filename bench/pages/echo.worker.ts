/// <reference lib="webworker" />

/**
 * The floor of any worker-based Denoiser: answers each message with a freshly allocated,
 * transferred Float32Array of the requested size (the size of a call's logits), and nothing
 * else. What a round trip to it costs is what postMessage alone costs on this machine.
 */
self.onmessage = (event: MessageEvent<{ floats: number; tokens: Int32Array }>) => {
  const out = new Float32Array(event.data.floats);
  (self as unknown as DedicatedWorkerGlobalScope).postMessage(out, [out.buffer]);
};

import type { BenchContext } from '../benchLine';
import { callsPerSecond, summarize } from '../stats';
import { timingLine, type PartContext } from './partContext';

export const OVERHEAD_RATIO_TARGET = 1.15;

/**
 * The app's WorkerDenoiser against bare session.run on the same model, provider, batch and
 * thread count, plus the two floors that explain the difference: a postMessage round trip
 * with a logits-sized reply, and session.run called once per message.
 */
export async function latencyPart(
  part: PartContext,
  providers: readonly ('wasm' | 'webgpu')[],
  gpu: { calls: number; warmup: number },
): Promise<void> {
  const { page, io, context, batches, rounds } = part;
  let { warmup, calls } = part;
  for (const batch of batches) {
    io.progress(`generate: message round trip, batch ${batch}…\n`);
    const ms = await page.evaluate((req) => window.unmaskGenerateBench!.messageRoundTrip(req), {
      batch,
      warmup,
      calls,
    });
    io.emit(
      timingLine('message_round_trip', summarize(ms), {
        path: 'postMessage to a worker that only returns a transferred logits-sized buffer',
        batch,
        n: calls,
        ...context,
      }),
    );
  }
  for (const provider of providers) {
    if (provider === 'webgpu') ({ calls, warmup } = gpu);
    else ({ calls, warmup } = part);
    for (const batch of batches) {
      io.progress(`generate: latency on ${provider}, batch ${batch}…\n`);
      const r = await page.evaluate((req) => window.unmaskGenerateBench!.denoiserVsBare(req), {
        provider,
        batch,
        warmup,
        calls,
        rounds,
      });
      const software = provider === 'webgpu' && r.backend.softwareAdapter;
      const line: BenchContext = {
        provider,
        batch,
        n: calls,
        warmup,
        wasmThreads: r.backend.wasmThreads,
        adapter: provider === 'webgpu' ? r.backend.adapter : undefined,
        note: software
          ? 'software WebGPU adapter (SwiftShader): measured, not representative of a GPU'
          : undefined,
        ...context,
      };
      const denoiser = summarize(r.denoiserMs);
      const bare = summarize(r.bareMs);
      const bareMessage = summarize(r.bareMessageMs);
      io.emit(
        timingLine('denoiser_latency', denoiser, {
          path: 'WorkerDenoiser.logits timed on the main thread: post tokens, logits back',
          ...line,
        }),
      );
      io.emit(
        timingLine('denoiser_worker_run', summarize(r.denoiserWorkerMs), {
          path: "the same calls timed inside the app's worker (OrtModel.run)",
          ...line,
        }),
      );
      io.emit(
        timingLine('bare_latency', bare, {
          path: 'session.run back to back in a worker of its own (tensors in, logits read)',
          ...line,
        }),
      );
      io.emit(
        timingLine('bare_message_latency', bareMessage, {
          path: 'that bare session.run once per postMessage from the main thread, logits back',
          ...line,
        }),
      );
      const ratio = denoiser.median / bare.median;
      io.emit({
        bench: 'generate',
        metric: 'denoiser_overhead_ratio',
        value: ratio,
        unit: 'ratio of medians',
        target: `<= ${OVERHEAD_RATIO_TARGET}`,
        met: ratio <= OVERHEAD_RATIO_TARGET,
        against: 'bare_latency',
        ...line,
      });
      io.emit({
        bench: 'generate',
        metric: 'denoiser_layer_ratio',
        value: denoiser.median / bareMessage.median,
        unit: 'ratio of medians',
        against: 'bare_message_latency (what our protocol and OrtModel add to a worker call)',
        ...line,
      });
      io.emit({
        bench: 'generate',
        metric: 'calls_per_second',
        value: callsPerSecond(denoiser.median),
        unit: 'calls/s',
        windowsPerSecond: callsPerSecond(denoiser.median) * batch,
        path: 'WorkerDenoiser (the app), from the median call',
        ...line,
      });
    }
  }
}

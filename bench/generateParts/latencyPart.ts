import type { BenchContext } from '../benchLine';
import { callsPerSecond, summarize } from '../stats';
import { timingLine, type PartContext } from './partContext';

export const OVERHEAD_RATIO_TARGET = 1.15;

/**
 * Our Denoiser against bare session.run on the same model, provider, batch and thread count.
 * Two paths use it: the Generate view runs the sampler inside the inference worker (batch 1,
 * the Denoiser called where the model lives), and the explorer posts batches from the page
 * (WorkerDenoiser.logits, a round trip per call). The target ratio is judged on the path that
 * makes calls of that batch in the app: the generation's at batch 1, the page's at the larger
 * batches (the likelihood lab's and the loss curve's rows per call). The
 * floors that explain the page path are measured too: a postMessage round trip with a
 * logits-sized reply, and session.run called once per message.
 */
export async function latencyPart(
  part: PartContext,
  providers: readonly ('wasm' | 'webgpu')[],
  gpu: { calls: number; warmup: number; batches: number[] },
): Promise<void> {
  const { page, io, context, rounds } = part;
  let { warmup, calls } = part;
  const allBatches = [
    ...new Set([...part.batches, ...(providers.includes('webgpu') ? gpu.batches : [])]),
  ];
  for (const batch of allBatches) {
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
    for (const batch of provider === 'webgpu' ? gpu.batches : part.batches) {
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
      const pageRatio = denoiser.median / bare.median;
      io.emit({
        bench: 'generate',
        metric: 'page_overhead_ratio',
        value: pageRatio,
        unit: 'ratio of medians',
        path: 'WorkerDenoiser.logits from the page (the explorer), against bare_latency',
        against: 'bare_latency',
        ...line,
      });
      if (batch === 1) {
        io.progress(`generate: sampler in the worker on ${provider}…\n`);
        const g = await page.evaluate((req) => window.unmaskGenerateBench!.samplerVsBare(req), {
          provider,
          batch,
          warmup,
          calls,
          rounds,
        });
        const call = summarize(g.callMs);
        const stepTime = summarize(g.stepMs);
        const peer = summarize(g.bareMs);
        const generation = { generations: g.generations, ...line };
        io.emit(
          timingLine('generation_call_latency', call, {
            path: 'the Denoiser as the sampler calls it, inside the inference worker',
            ...generation,
          }),
        );
        io.emit(
          timingLine('generation_step_latency', stepTime, {
            path: 'a whole sampler step in the worker: the model call and the step function',
            ...generation,
          }),
        );
        io.emit(
          timingLine('generation_bare_latency', peer, {
            path: 'session.run back to back in a worker of its own, timed between the generations',
            ...generation,
          }),
        );
        io.emit(
          overheadLine(call.median / peer.median, 'generation_bare_latency', line, {
            path: 'generation: the sampler in the worker calls the Denoiser (batch 1)',
          }),
        );
        io.emit({
          bench: 'generate',
          metric: 'generation_calls_per_second',
          value: callsPerSecond(stepTime.median),
          unit: 'calls/s',
          path: 'sampler steps per second in the worker (model call + step), from the median step',
          ...line,
        });
        io.emit({
          bench: 'generate',
          metric: 'step_overhead_ratio',
          value: stepTime.median / peer.median,
          unit: 'ratio of medians',
          path: 'a whole sampler step (model call + step function) against bare session.run',
          against: 'generation_bare_latency',
          ...line,
        });
      } else {
        io.emit(
          overheadLine(pageRatio, 'bare_latency', line, {
            path: 'WorkerDenoiser.logits from the page, batched (the likelihood lab, the loss curve)',
          }),
        );
      }
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

/** The target line: our Denoiser's median call over the bare loop's. */
function overheadLine(ratio: number, against: string, line: BenchContext, extra: { path: string }) {
  return {
    bench: 'generate',
    metric: 'denoiser_overhead_ratio',
    value: ratio,
    unit: 'ratio of medians',
    target: `<= ${OVERHEAD_RATIO_TARGET}`,
    met: ratio <= OVERHEAD_RATIO_TARGET,
    against,
    ...extra,
    ...line,
  };
}

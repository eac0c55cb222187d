import { callsPerSecond, summarize } from '../stats';
import { timingLine, type PartContext } from './partContext';

/**
 * Bare WASM sessions at each thread count, each in a fresh worker (ORT fixes its thread
 * count when its WebAssembly starts): back to back, and once per message as the app calls.
 * The speedup lines compare every count with the first one given.
 */
export async function threadsPart(part: PartContext, threadCounts: readonly number[]) {
  const { page, io, context, batches, warmup, calls, rounds } = part;
  for (const batch of batches) {
    const medians = new Map<number, { loop: number; message: number }>();
    for (const threads of threadCounts) {
      io.progress(`generate: WASM with ${threads} thread(s), batch ${batch}…\n`);
      const r = await page.evaluate((req) => window.unmaskGenerateBench!.bareThreads(req), {
        threads,
        batch,
        warmup,
        calls,
        rounds,
      });
      const loop = summarize(r.loopMs);
      const message = summarize(r.messageMs);
      medians.set(threads, { loop: loop.median, message: message.median });
      const line = {
        threads,
        threadsInUse: r.threadsInUse,
        provider: 'wasm',
        batch,
        n: calls,
        warmup,
        ...context,
      };
      io.emit(
        timingLine('wasm_threads_loop_latency', loop, {
          callsPerSecond: callsPerSecond(loop.median),
          path: 'session.run back to back inside a worker',
          ...line,
        }),
      );
      io.emit(
        timingLine('wasm_threads_message_latency', message, {
          callsPerSecond: callsPerSecond(message.median),
          path: 'session.run once per postMessage from the main thread (as the app calls)',
          ...line,
        }),
      );
    }
    const [first, ...others] = threadCounts;
    const base = medians.get(first)!;
    for (const threads of others) {
      const m = medians.get(threads)!;
      io.emit({
        bench: 'generate',
        metric: 'wasm_threads_speedup',
        value: base.loop / m.loop,
        unit: `median at ${first} thread(s) / median at ${threads}, back to back`,
        perMessage: base.message / m.message,
        threads,
        baselineThreads: first,
        provider: 'wasm',
        batch,
        ...context,
      });
    }
  }
}

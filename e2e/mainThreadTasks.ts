/**
 * Each task of the page's main thread from a Chrome trace (`browser.startTracing` with the
 * 'toplevel' category), with its wall time and its CPU time. The long-task observer sees wall
 * time only, which a starved machine stretches (a 5 ms task descheduled mid-way looks long);
 * the trace's per-task thread time is what the page itself spent.
 */
export interface MainThreadTask {
  /** Trace timestamp, µs. */
  ts: number;
  wallMs: number;
  cpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * The tasks of the busiest web-page renderer's main thread: the page's. The trace covers the
 * whole browser, whose own UI ('WebUI Top Renderer', parsing HTML and evaluating modules at
 * times) is left out, and a spare renderer is idle.
 */
export function mainThreadTasks(trace: Buffer): MainThreadTask[] {
  const parsed = JSON.parse(trace.toString('utf8')) as TraceEvent[] | { traceEvents: TraceEvent[] };
  const events = Array.isArray(parsed) ? parsed : parsed.traceEvents;
  const browserUi = new Set(
    events
      .filter((e) => e.name === 'process_name' && e.args?.name?.startsWith('WebUI'))
      .map((e) => e.pid),
  );
  const mains = events
    .filter(
      (e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain' && !browserUi.has(e.pid),
    )
    .map((e) => `${e.pid}:${e.tid}`);
  const byThread = new Map<string, MainThreadTask[]>(mains.map((m) => [m, []]));
  // Chrome names the top-level task 'ThreadControllerImpl::RunTask' (with a nested 'RunTask')
  // or only 'RunTask', depending on its version: count each task once.
  const taskName = events.some((e) => e.name === 'ThreadControllerImpl::RunTask')
    ? 'ThreadControllerImpl::RunTask'
    : 'RunTask';
  for (const e of events) {
    if (e.ph !== 'X' || e.name !== taskName) continue;
    byThread
      .get(`${e.pid}:${e.tid}`)
      ?.push({ ts: e.ts, wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 });
  }
  const cpu = (tasks: MainThreadTask[]) => tasks.reduce((a, t) => a + t.cpuMs, 0);
  return [...byThread.values()].sort((a, b) => cpu(b) - cpu(a))[0] ?? [];
}

/**
 * "Always answer the newest request, drop stale ones", for inputs that change faster than a
 * model can answer (a slider being dragged). At most one request runs at a time; requests that
 * arrive meanwhile do not queue: only the newest waits, and the one it replaces is dropped
 * without running. So a drag that fires sixty requests a second costs at most one call in
 * flight plus one waiting, and the last value the person chose is always answered.
 *
 * A running call cannot be cancelled (onnxruntime has no cancellation), so its answer still
 * arrives, marked `latest: false` when a newer request was made while it ran; a caller may show
 * it as an interim picture or ignore it.
 */
export type LatestOutcome<R> =
  { status: 'answered'; value: R; latest: boolean } | { status: 'dropped' };

interface Job<Q, R> {
  request: Q;
  id: number;
  resolve: (outcome: LatestOutcome<R>) => void;
  reject: (error: unknown) => void;
}

export class LatestOnly<Q, R> {
  private newestId = 0;
  private running = false;
  private waiting: Job<Q, R> | null = null;
  /** Counts since construction, for read-outs and tests. */
  readonly stats = { requested: 0, ran: 0, dropped: 0 };

  constructor(private readonly run: (request: Q) => Promise<R>) {}

  request(request: Q): Promise<LatestOutcome<R>> {
    const id = ++this.newestId;
    this.stats.requested++;
    return new Promise((resolve, reject) => {
      this.dropWaiting();
      this.waiting = { request, id, resolve, reject };
      if (!this.running) void this.drain();
    });
  }

  /** Drops the waiting request, if any (say, when its view goes away); a running one finishes. */
  dropWaiting(): void {
    if (!this.waiting) return;
    this.waiting.resolve({ status: 'dropped' });
    this.stats.dropped++;
    this.waiting = null;
  }

  get busy(): boolean {
    return this.running;
  }

  private async drain(): Promise<void> {
    this.running = true;
    while (this.waiting) {
      const job = this.waiting;
      this.waiting = null;
      this.stats.ran++;
      try {
        const value = await this.run(job.request);
        job.resolve({ status: 'answered', value, latest: job.id === this.newestId });
      } catch (e) {
        job.reject(e);
      }
    }
    this.running = false;
  }
}

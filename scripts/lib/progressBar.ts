/** A one-line progress bar on stderr (rewritten in place on a terminal, a line per update otherwise). */
export class ProgressBar {
  private readonly start = Date.now();
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, text: string, force = false): void {
    const now = Date.now();
    const interval = this.stream.isTTY ? 200 : 10_000;
    if (!force && now - this.lastDraw < interval && done < this.total) return;
    this.lastDraw = now;
    const width = 24;
    const frac = Math.min(1, done / this.total);
    const filled = Math.round(frac * width);
    const elapsed = (now - this.start) / 1000;
    const eta = done > 0 ? (elapsed / done) * (this.total - done) : NaN;
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${this.total} ${text} · ${elapsed.toFixed(0)} s${Number.isFinite(eta) ? ` · ETA ${eta.toFixed(0)} s` : ''}`;
    if (this.stream.isTTY) this.stream.write(`\r${line}\x1b[K`);
    else this.stream.write(line + '\n');
  }

  finish(): void {
    if (this.stream.isTTY) this.stream.write('\n');
  }
}

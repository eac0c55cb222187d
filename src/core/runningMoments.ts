/**
 * Mean and variance of a stream of numbers in one pass (Welford's update), so a Monte Carlo
 * estimate can grow sample by sample without keeping the samples and without the cancellation
 * that Σx² − (Σx)²/n suffers when the variance is small next to the mean.
 */
export interface MomentsSummary {
  count: number;
  mean: number;
  /** Sample variance (divides by n − 1); 0 for fewer than two samples. */
  variance: number;
}

export class RunningMoments {
  private n = 0;
  private m = 0;
  private m2 = 0;

  push(x: number): void {
    this.n++;
    const delta = x - this.m;
    this.m += delta / this.n;
    this.m2 += delta * (x - this.m);
  }

  get count(): number {
    return this.n;
  }

  /** NaN before the first sample: an empty estimate has no mean. */
  get mean(): number {
    return this.n === 0 ? NaN : this.m;
  }

  get variance(): number {
    return this.n < 2 ? 0 : this.m2 / (this.n - 1);
  }

  summary(): MomentsSummary {
    return { count: this.count, mean: this.mean, variance: this.variance };
  }
}

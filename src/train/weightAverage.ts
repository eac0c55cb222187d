/**
 * An exponential moving average of the weights (Polyak averaging, as diffusion models sample
 * from): the run updates it every `every` steps from the trainer's weights, and samples and
 * exports it. While the learning rate is high, the raw weights wander around the valley the
 * average sits in; the grammatical-sample rate of the average is higher and steadier.
 *
 * Backend-free: it reads the weights as any caller can (readParams), so the WebGPU trainer
 * needs no kernel for it and stays in step with the CPU reference.
 */
export class WeightAverage {
  private average: Float32Array | null = null;
  /** The factor an update keeps of the average: half of it is forgotten every halfLife steps. */
  readonly keep: number;

  constructor(
    /** Steps after which an old weight counts half. */
    readonly halfLife: number,
    /** Steps between updates. */
    readonly every: number,
  ) {
    if (!(halfLife > 0) || !(Number.isInteger(every) && every >= 1)) {
      throw new Error(
        `a weight average needs halfLife > 0 and every ≥ 1, got ${halfLife}, ${every}`,
      );
    }
    this.keep = Math.pow(0.5, every / halfLife);
  }

  /** Whether the weights after `step` (1-based) go into the average. */
  due(step: number): boolean {
    return step % this.every === 0;
  }

  /** Folds in the weights; weights that are not all finite are left out (a run rolls back). */
  update(params: Float32Array): void {
    for (let i = 0; i < params.length; i++) if (!Number.isFinite(params[i])) return;
    if (!this.average || this.average.length !== params.length) {
      this.average = params.slice();
      return;
    }
    const a = this.average;
    const mix = 1 - this.keep;
    for (let i = 0; i < a.length; i++) a[i] += mix * (params[i] - a[i]);
  }

  /** A copy of the average, or null before the first update. */
  weights(): Float32Array | null {
    return this.average ? this.average.slice() : null;
  }

  /** Takes a saved average back (a restored checkpoint's), or forgets it given null. */
  restore(weights: Float32Array | null): void {
    this.average = weights ? weights.slice() : null;
  }
}

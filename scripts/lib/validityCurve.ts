/**
 * The validity curve of `npm run train -- --eval-every N [--until-valid X]`: which steps are
 * measured, the points (step, seconds, validity), and the stopping rule — stop at the first
 * measurement that reaches the target. Seconds are training time only (evaluation excluded);
 * the evaluation time is kept beside them so the report can state both.
 */

export interface ValidityPoint {
  step: number;
  /** Wall seconds of training up to this step, evaluation time excluded. */
  seconds: number;
  /** Wall seconds up to this step, evaluation time (this measurement's too) included. */
  wallSeconds: number;
  /** Grammatical samples / samples. */
  validity: number;
}

export interface ValidityTarget {
  target: number;
  met: boolean;
  /** The step of the first measurement that reached the target (null when none did). */
  step: number | null;
  trainSeconds: number | null;
  wallSeconds: number | null;
}

export class ValidityCurve {
  readonly points: ValidityPoint[] = [];

  /**
   * @param every measure every `every` steps (0: never)
   * @param lastStep the run's last step, always measured when `every` > 0
   * @param target stop at the first measurement with validity ≥ target (none: never stop)
   */
  constructor(
    readonly every: number,
    readonly lastStep: number,
    readonly target?: number,
  ) {
    if (!(every >= 0 && Number.isInteger(every)))
      throw new Error(`every must be ≥ 0, got ${every}`);
    if (target !== undefined && !(target >= 0 && target <= 1))
      throw new Error(`target must be in [0, 1], got ${target}`);
  }

  /** Whether the weights after `step` (1-based) are to be measured. */
  due(step: number): boolean {
    return this.every > 0 && (step % this.every === 0 || step === this.lastStep);
  }

  /** Records a measurement; true when it reaches the target (training should stop). */
  record(point: ValidityPoint): boolean {
    const last = this.points[this.points.length - 1];
    if (last && point.step <= last.step)
      throw new Error(`steps must increase: ${point.step} after ${last.step}`);
    this.points.push(point);
    return this.target !== undefined && point.validity >= this.target;
  }

  /** The outcome against the target, or null when there is none. */
  outcome(): ValidityTarget | null {
    if (this.target === undefined) return null;
    const hit = this.points.find((p) => p.validity >= this.target!);
    return {
      target: this.target,
      met: hit !== undefined,
      step: hit?.step ?? null,
      trainSeconds: hit ? hit.seconds : null,
      wallSeconds: hit ? hit.wallSeconds : null,
    };
  }
}

/**
 * Learning rate per step: linear warm-up to the peak, then half a cosine down to a floor, then
 * the floor. Warm-up keeps the first Adam steps (whose second-moment estimate rests on few
 * gradients) small; the cosine spends most steps near the peak and lands softly.
 *
 * Steps count from 0 (the first update uses step 0):
 *   step < warmupSteps:             peak · (step + 1) / warmupSteps   (never 0, reaches peak)
 *   warmupSteps ≤ step < totalSteps: floor + (peak − floor) · ½(1 + cos(π·p)),
 *                                    p = (step − warmupSteps) / (totalSteps − warmupSteps)
 *   step ≥ totalSteps:              floor
 */
export interface LrSchedule {
  peak: number;
  warmupSteps: number;
  totalSteps: number;
  /** The lowest rate, reached at totalSteps (an absolute rate, not a fraction of peak). */
  floor: number;
}

export function validateLrSchedule(s: LrSchedule): void {
  if (!(s.peak > 0)) throw new Error(`peak learning rate must be > 0, got ${s.peak}`);
  if (!(s.floor >= 0 && s.floor <= s.peak)) {
    throw new Error(`floor must lie in [0, peak = ${s.peak}], got ${s.floor}`);
  }
  if (!Number.isInteger(s.warmupSteps) || s.warmupSteps < 0) {
    throw new Error(`warmupSteps must be a non-negative integer, got ${s.warmupSteps}`);
  }
  if (!Number.isInteger(s.totalSteps) || s.totalSteps < s.warmupSteps) {
    throw new Error(
      `totalSteps must be an integer ≥ warmupSteps (${s.warmupSteps}), got ${s.totalSteps}`,
    );
  }
}

export function learningRateAt(step: number, s: LrSchedule): number {
  validateLrSchedule(s);
  if (step < s.warmupSteps) return (s.peak * (step + 1)) / s.warmupSteps;
  if (step >= s.totalSteps) return s.floor;
  const progress = (step - s.warmupSteps) / (s.totalSteps - s.warmupSteps);
  return s.floor + (s.peak - s.floor) * 0.5 * (1 + Math.cos(Math.PI * progress));
}

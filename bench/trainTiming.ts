/**
 * How many steps `bench -- train` times for each trainer. The trainers differ by a factor of a
 * hundred on a software adapter (TensorFlow.js on SwiftShader takes ~25 s a step, our CPU
 * reference a fraction of a second), so a fixed count would either take an hour or measure the
 * fast ones on two steps. Each trainer gets up to `maxSteps` timed steps, as many as fit into
 * `budgetMs` at the speed its warm-up showed, but never fewer than `minSteps`; they are split
 * into rounds (each ended by a full sync), and the figure is the median round's steps/s.
 */
export interface TimingPlanInput {
  maxSteps: number;
  rounds: number;
  budgetMs: number;
  /** Milliseconds of one warm step, from the warm-up. */
  stepMs: number;
  minSteps: number;
}

/** Steps per round, in order; they add up to the steps timed. */
export function planRounds(input: TimingPlanInput): number[] {
  const { maxSteps, rounds, budgetMs, stepMs, minSteps } = input;
  for (const [name, v] of Object.entries({ maxSteps, rounds, minSteps })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer`);
  }
  if (!(budgetMs > 0) || !(stepMs > 0)) throw new Error('budget and step time must be positive');
  const fit = Math.floor(budgetMs / stepMs);
  const steps = Math.min(maxSteps, Math.max(minSteps, fit));
  const count = Math.min(rounds, steps);
  return Array.from(
    { length: count },
    (_, i) => Math.floor(((i + 1) * steps) / count) - Math.floor((i * steps) / count),
  );
}

/**
 * First and last loss of a timed run. A trainer whose loss went NaN or infinite (TensorFlow.js
 * on a software adapter has done so) is still timed, and the line says so instead of failing.
 */
export function lossSummary(losses: readonly number[]): {
  lossFirst: number | null;
  lossLast: number | null;
  nonFiniteLosses?: number;
  firstNonFiniteStep?: number;
} {
  const finite = (x: number | undefined) => (x !== undefined && Number.isFinite(x) ? x : null);
  const bad = losses.filter((x) => !Number.isFinite(x)).length;
  return {
    lossFirst: finite(losses[0]),
    lossLast: finite(losses[losses.length - 1]),
    ...(bad > 0
      ? { nonFiniteLosses: bad, firstNonFiniteStep: losses.findIndex((x) => !Number.isFinite(x)) }
      : {}),
  };
}

/**
 * How closely a trainer's losses follow the CPU reference's over the steps both ran: every
 * trainer starts from the same weights and takes the same batches at the same learning rate, so
 * a trainer whose update is wrong drifts away within a few steps even when its first loss (the
 * forward pass alone) agrees. Non-finite losses count as an infinite difference.
 */
export function lossTracking(
  losses: readonly number[],
  reference: readonly number[],
): { steps: number; maxRelativeDifference: number; worstStep: number } {
  const steps = Math.min(losses.length, reference.length);
  let maxRelativeDifference = 0;
  let worstStep = -1;
  for (let i = 0; i < steps; i++) {
    const diff = Math.abs(losses[i] - reference[i]) / Math.abs(reference[i]);
    const d = Number.isFinite(diff) ? diff : Infinity;
    if (worstStep < 0 || d > maxRelativeDifference) {
      maxRelativeDifference = d;
      worstStep = i;
    }
  }
  return { steps, maxRelativeDifference, worstStep };
}

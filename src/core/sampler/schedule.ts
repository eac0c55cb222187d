/**
 * How many tokens each step commits, for the strategies whose count does not depend on the
 * confidences. Exact integer or float32 arithmetic as the upstream code does it (see
 * shared/golden/README.md).
 */

/**
 * LLaDA's get_num_transfer_tokens: m masks over s steps, every step gets ⌊m / s⌋ and the first
 * m mod s steps get one more (12 over 5 → 3, 3, 2, 2, 2).
 */
export function evenSplitSchedule(masks: number, steps: number): number[] {
  if (!Number.isInteger(masks) || masks < 0)
    throw new Error(`mask count must be ≥ 0, got ${masks}`);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be ≥ 1, got ${steps}`);
  const base = Math.floor(masks / steps);
  const extra = masks % steps;
  return Array.from({ length: steps }, (_, i) => base + (i < extra ? 1 : 0));
}

const f32 = Math.fround;

/**
 * Dream's timesteps: torch.linspace(1, eps, steps + 1) in float32. torch's CPU kernel fills the
 * first half from the start and the second half from the end, each product and sum rounded to
 * float32; we do the same so that t_0 = 1 and t_steps = eps exactly.
 */
export function dreamTimesteps(steps: number, eps = 1e-3): Float32Array {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be ≥ 1, got ${steps}`);
  const n = steps + 1;
  const start = 1;
  const end = f32(eps);
  const step = f32(f32(end - start) / (n - 1));
  const halfway = Math.floor(n / 2);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = i < halfway ? f32(start + f32(step * i)) : f32(end - f32(step * (n - 1 - i)));
  }
  return out;
}

/**
 * Dream's count at step i with m masks left: trunc(m · (1 − t_{i+1} / t_i)), every operation in
 * float32; the last step commits every remaining mask. Truncation makes early counts small: with
 * steps == length the first step commits nothing.
 */
export function dreamTransferCount(
  masks: number,
  stepIndex: number,
  timesteps: Float32Array,
): number {
  const steps = timesteps.length - 1;
  if (stepIndex >= steps - 1) return masks;
  const ratio = f32(timesteps[stepIndex + 1] / timesteps[stepIndex]);
  return Math.trunc(f32(f32(masks) * f32(1 - ratio)));
}

/**
 * The article's count at s (counting down from S to 1): n = max(1, ⌊masked / s⌋), never more
 * than are masked. At s = 1 this is everything left.
 */
export function articleCount(masks: number, s: number): number {
  if (masks === 0) return 0;
  return Math.min(masks, Math.max(1, Math.floor(masks / s)));
}

import type { SamplerInit, SamplerOptions, StrategyName } from '../sampler';

/**
 * The speed lab's grid: how many model calls each model needs to write a window of L tokens.
 *
 * - The diffusion model writes the whole window from all-[MASK] in a fixed S calls, for
 *   S = L / d with d in `divisors` (L, L/2, L/4, L/8 by default), or adaptively with
 *   confidence-threshold decoding (Fast-dLLM), whose calls depend on the model's confidence.
 * - The autoregressive twin has no start token, so it is given the first word and writes the
 *   other L − 1 positions, one model call each, never stopping early (its [EOS] fill is written
 *   token by token too): L − 1 calls.
 */
export type DecodingSetting =
  | { model: 'diffusion'; length: number; steps: number }
  | { model: 'diffusion'; length: number; threshold: number }
  | { model: 'autoregressive'; length: number };

export const DEFAULT_LENGTHS = [16, 32, 64] as const;
export const DEFAULT_DIVISORS = [1, 2, 4, 8] as const;

/** Sampling knobs shared by every setting of a run. */
export interface DecodingStyle {
  /** Fixed-S strategy of the diffusion model. */
  strategy: StrategyName;
  temperature: number;
}

export const DEFAULT_STYLE: DecodingStyle = { strategy: 'llada.low_confidence', temperature: 1 };

export function isAdaptive(
  s: DecodingSetting,
): s is Extract<DecodingSetting, { threshold: number }> {
  return s.model === 'diffusion' && 'threshold' in s;
}

/** A short name for tables and JSON lines: "diffusion L=32 S=8", "diffusion L=16 τ=0.9", "autoregressive L=16". */
export function settingLabel(s: DecodingSetting): string {
  if (s.model === 'autoregressive') return `autoregressive L=${s.length}`;
  return isAdaptive(s)
    ? `diffusion L=${s.length} threshold ${s.threshold}`
    : `diffusion L=${s.length} S=${s.steps}`;
}

/** The step counts L/d for each divisor d that divides L. */
export function stepCounts(
  length: number,
  divisors: readonly number[] = DEFAULT_DIVISORS,
): number[] {
  return divisors
    .filter((d) => Number.isInteger(d) && d >= 1 && length % d === 0)
    .map((d) => length / d);
}

/**
 * Every setting of a run, length by length: the autoregressive twin, the fixed-S diffusion
 * settings from most to fewest calls, then the threshold point where `adaptiveAt` includes L.
 */
export function speedGrid(
  lengths: readonly number[],
  options: { divisors?: readonly number[]; threshold: number; adaptiveAt: readonly number[] },
): DecodingSetting[] {
  return lengths.flatMap((length) => [
    { model: 'autoregressive' as const, length },
    ...stepCounts(length, options.divisors).map((steps) => ({
      model: 'diffusion' as const,
      length,
      steps,
    })),
    ...(options.adaptiveAt.includes(length)
      ? [{ model: 'diffusion' as const, length, threshold: options.threshold }]
      : []),
  ]);
}

/** What the sampler is asked for one sample of a setting; `firstWord` only for the twin. */
export function decodingRequest(
  setting: DecodingSetting,
  style: DecodingStyle,
  seed: number,
  firstWord: number,
): { init: SamplerInit; options: SamplerOptions } {
  const L = setting.length;
  const common = { temperature: style.temperature, seed: seed >>> 0, traceTopK: 0 };
  if (setting.model === 'autoregressive') {
    return {
      init: { prompt: [firstWord], genLength: L - 1 },
      options: { ...common, strategy: 'autoregressive', steps: L - 1 },
    };
  }
  const init = { prompt: [], genLength: L };
  if (isAdaptive(setting)) {
    return {
      init,
      // One block: the threshold alone decides how many tokens each call commits.
      options: {
        ...common,
        strategy: 'fastdllm.threshold',
        steps: L,
        threshold: setting.threshold,
      },
    };
  }
  return { init, options: { ...common, strategy: style.strategy, steps: setting.steps } };
}

/** Tokens a sample of this setting writes: the whole window, or all but the given first word. */
export function tokensWritten(setting: DecodingSetting): number {
  return setting.model === 'autoregressive' ? setting.length - 1 : setting.length;
}

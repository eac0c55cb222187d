/**
 * The sampler's knobs. `SamplerOptions` is what callers write (most fields optional);
 * `resolveOptions` fills the defaults and checks every value, giving `ResolvedSamplerOptions`,
 * a plain JSON-serializable object that a trace stores so it can be replayed.
 */

export const STRATEGY_NAMES = [
  'llada.low_confidence',
  'llada.random',
  'fastdllm.threshold',
  'dream.maskgit_plus',
  'dream.topk_margin',
  'dream.entropy',
  'article',
  'remdm',
  'autoregressive',
] as const;

export type StrategyName = (typeof STRATEGY_NAMES)[number];

/**
 * What t the driver passes to the denoiser: nothing; the strategy's own time for this call
 * ('nominal': the article's s/S, Dream's t_i, ReMDM's 1 − i/S; strategies without a time
 * schedule, LLaDA and Fast-dLLM, fall back to the masked fraction); or always the masked
 * fraction of the generated region.
 */
export type TimeInput = 'none' | 'nominal' | 'maskedFraction';

/**
 * Whether the [MASK] id may be predicted. Upstream keeps it in the softmax and argmax (the goldens
 * need 'allow'); committing it leaves the position masked and a step is wasted. 'suppress' sets
 * its logit to −∞ first, which is what a user-facing sampler wants.
 */
export type MaskTokenPolicy = 'allow' | 'suppress';

/** ReMDM σ_t schedules (Wang et al. 2025): 'cap' = min(η, σ_max), 'rescale' = η · σ_max. */
export type RemaskSchedule = 'cap' | 'rescale';

export interface SamplerOptions {
  strategy: StrategyName;
  /**
   * Model calls (fixed for all strategies except fastdllm.threshold, where it only has to divide
   * into blocks; autoregressive ignores it: one call per token written).
   */
  steps: number;
  /** Semi-autoregressive block length (llada.*, fastdllm.threshold); null/undefined = one block. */
  blockLength?: number | null;
  /** 0 = greedy (argmax). Default 1 for 'article' (it samples), 0 otherwise. */
  temperature?: number;
  topK?: number | null;
  topP?: number | null;
  /** fastdllm.threshold: commit every candidate whose confidence ≥ threshold (plus the best). */
  threshold?: number;
  seed?: number;
  /** How many candidates per position the trace records. */
  traceTopK?: number;
  timeInput?: TimeInput;
  maskToken?: MaskTokenPolicy;
  /**
   * End-of-text and end-of-turn ids for the two LLaDA options below; autoregressive decoding stops
   * at eosId (and fills the rest of the window with it).
   */
  eosId?: number | null;
  eotId?: number | null;
  /** LLaDA logits_eos_inf: EOS logit set to −∞ before anything else. */
  logitsEosInf?: boolean;
  /** LLaDA confidence_eos_eot_inf: EOS/EOT predictions get −∞ confidence (ranked last). */
  confidenceEosEotInf?: boolean;
  /** Dream's final timestep. */
  dreamEps?: number;
  remaskSchedule?: RemaskSchedule;
  /** η of the ReMDM schedule, in [0, 1]. */
  remaskEta?: number;
  /** Safety stop for the data-dependent fastdllm.threshold loop. Default 4 × (length + steps). */
  maxCalls?: number | null;
}

export interface ResolvedSamplerOptions {
  strategy: StrategyName;
  steps: number;
  blockLength: number | null;
  temperature: number;
  topK: number | null;
  topP: number | null;
  threshold: number;
  seed: number;
  traceTopK: number;
  timeInput: TimeInput;
  maskToken: MaskTokenPolicy;
  eosId: number | null;
  eotId: number | null;
  logitsEosInf: boolean;
  confidenceEosEotInf: boolean;
  dreamEps: number;
  remaskSchedule: RemaskSchedule;
  remaskEta: number;
  maxCalls: number | null;
}

/** Strategies that cut the generated region into semi-autoregressive blocks. */
export function usesBlocks(strategy: StrategyName): boolean {
  return strategy.startsWith('llada.') || strategy === 'fastdllm.threshold';
}

function isInt(x: unknown, min: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min;
}

/** Fill defaults and validate; throws an Error naming the first bad field. */
export function resolveOptions(options: SamplerOptions): ResolvedSamplerOptions {
  const o = options;
  if (!STRATEGY_NAMES.includes(o.strategy)) {
    throw new Error(
      `unknown strategy '${String(o.strategy)}' (known: ${STRATEGY_NAMES.join(', ')})`,
    );
  }
  const r: ResolvedSamplerOptions = {
    strategy: o.strategy,
    steps: o.steps,
    blockLength: o.blockLength ?? null,
    temperature: o.temperature ?? (o.strategy === 'article' ? 1 : 0),
    topK: o.topK ?? null,
    topP: o.topP ?? null,
    threshold: o.threshold ?? 0.9,
    seed: o.seed ?? 0,
    traceTopK: o.traceTopK ?? 5,
    timeInput: o.timeInput ?? 'nominal',
    maskToken: o.maskToken ?? 'suppress',
    eosId: o.eosId ?? null,
    eotId: o.eotId ?? null,
    logitsEosInf: o.logitsEosInf ?? false,
    confidenceEosEotInf: o.confidenceEosEotInf ?? false,
    dreamEps: o.dreamEps ?? 1e-3,
    remaskSchedule: o.remaskSchedule ?? 'cap',
    remaskEta: o.remaskEta ?? 0.1,
    maxCalls: o.maxCalls ?? null,
  };
  if (!isInt(r.steps, 1)) throw new Error(`steps must be an integer ≥ 1, got ${r.steps}`);
  if (r.blockLength !== null && !isInt(r.blockLength, 1)) {
    throw new Error(`blockLength must be an integer ≥ 1 or null, got ${r.blockLength}`);
  }
  if (!(
    typeof r.temperature === 'number' &&
    r.temperature >= 0 &&
    Number.isFinite(r.temperature)
  )) {
    throw new Error(`temperature must be a finite number ≥ 0, got ${r.temperature}`);
  }
  if (r.topK !== null && !isInt(r.topK, 1))
    throw new Error(`topK must be an integer ≥ 1 or null, got ${r.topK}`);
  if (r.topP !== null && !(r.topP > 0 && r.topP <= 1))
    throw new Error(`topP must be in (0, 1] or null, got ${r.topP}`);
  if (!(r.threshold >= 0 && r.threshold <= 1))
    throw new Error(`threshold must be in [0, 1], got ${r.threshold}`);
  if (!isInt(r.seed, 0) || r.seed > 0xffffffff)
    throw new Error(`seed must be an integer in [0, 2^32), got ${r.seed}`);
  if (!isInt(r.traceTopK, 0))
    throw new Error(`traceTopK must be an integer ≥ 0, got ${r.traceTopK}`);
  if (!['none', 'nominal', 'maskedFraction'].includes(r.timeInput))
    throw new Error(`unknown timeInput '${r.timeInput}'`);
  if (!['allow', 'suppress'].includes(r.maskToken))
    throw new Error(`unknown maskToken policy '${r.maskToken}'`);
  if (r.eosId !== null && !isInt(r.eosId, 0))
    throw new Error(`eosId must be a token id or null, got ${r.eosId}`);
  if (r.eotId !== null && !isInt(r.eotId, 0))
    throw new Error(`eotId must be a token id or null, got ${r.eotId}`);
  if ((r.logitsEosInf || r.confidenceEosEotInf) && r.eosId === null) {
    throw new Error('logitsEosInf and confidenceEosEotInf need eosId');
  }
  if (!(r.dreamEps > 0 && r.dreamEps < 1))
    throw new Error(`dreamEps must be in (0, 1), got ${r.dreamEps}`);
  if (!['cap', 'rescale'].includes(r.remaskSchedule))
    throw new Error(`unknown remaskSchedule '${r.remaskSchedule}'`);
  if (!(r.remaskEta >= 0 && r.remaskEta <= 1))
    throw new Error(`remaskEta must be in [0, 1], got ${r.remaskEta}`);
  if (r.maxCalls !== null && !isInt(r.maxCalls, 1))
    throw new Error(`maxCalls must be an integer ≥ 1 or null, got ${r.maxCalls}`);
  return r;
}

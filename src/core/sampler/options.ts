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
  'llada2.threshold',
  'llada21.edit',
  'eb.entropy_bound',
  'dus.dilated',
] as const;

/**
 * Strategies whose decisions come from outside the sampler: 'human' is a person choosing at each
 * call which positions to commit (be the sampler, strategies/human.ts). They are never offered
 * where the sampler runs on its own (the strategy picker, the URL), but a trace may name them.
 */
export const MANUAL_STRATEGY_NAMES = ['human'] as const;

export type AutomaticStrategyName = (typeof STRATEGY_NAMES)[number];
export type ManualStrategyName = (typeof MANUAL_STRATEGY_NAMES)[number];
export type StrategyName = AutomaticStrategyName | ManualStrategyName;

export function isManualStrategy(name: StrategyName): name is ManualStrategyName {
  return (MANUAL_STRATEGY_NAMES as readonly string[]).includes(name);
}

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

/** DUS remasking after a dilated level: none, or placed tokens below the confidence threshold. */
export type DusRemasking = 'none' | 'low_confidence';

export interface SamplerOptions {
  strategy: StrategyName;
  /**
   * Model calls (fixed for the strategies with a schedule; fastdllm.threshold and
   * eb.entropy_bound: a bound that must divide into blocks; llada2.threshold: steps per block;
   * autoregressive, llada21.edit and dus.dilated ignore it: their calls follow from the data or
   * from the dilated levels).
   */
  steps: number;
  /**
   * Semi-autoregressive block length (every strategy for which usesBlocks is true); null or
   * undefined = one block.
   */
  blockLength?: number | null;
  /** 0 = greedy (argmax). Default 1 for 'article' (it samples), 0 otherwise. */
  temperature?: number;
  topK?: number | null;
  topP?: number | null;
  /**
   * fastdllm.threshold: commit every candidate whose confidence ≥ threshold (plus the best);
   * llada2.threshold and llada21.edit: every candidate whose confidence is > threshold, with the
   * floor as a minimum.
   */
  threshold?: number;
  /** llada21.edit: a placed token is rewritten when its new argmax differs with confidence > this. */
  editThreshold?: number;
  /** llada21.edit: the floor of tokens unmasked per call (upstream num_to_transfer). */
  numToTransfer?: number;
  /** llada21.edit: at most this many calls per block after its last mask is filled. */
  maxPostSteps?: number;
  /** eb.entropy_bound: γ in bits; a candidate is taken while the entropies before it sum to ≤ γ. */
  entropyBound?: number;
  /** dus.dilated: the stride divisor of the dilated levels (1 = one level per block). */
  dusBase?: number;
  /** dus.dilated: the first stride is ⌊block / base^baseSkip⌋. */
  dusBaseSkip?: number;
  dusRemasking?: DusRemasking;
  /** dus.dilated with low_confidence remasking: placed tokens below this go back to [MASK]. */
  dusThreshold?: number;
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
  editThreshold: number;
  numToTransfer: number;
  maxPostSteps: number;
  entropyBound: number;
  dusBase: number;
  dusBaseSkip: number;
  dusRemasking: DusRemasking;
  dusThreshold: number;
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

/**
 * Where a strategy's blocks start: 'prompt' = at the end of the prompt, blocks must divide the
 * generated region (LLaDA, Fast-dLLM, EB, DUS); 'zero' = at position 0 of the window, the prompt
 * inside the blocks (LLaDA2.0 and 2.1); null = no blocks.
 */
export type BlockAlignment = 'prompt' | 'zero';

export function blockAlignment(strategy: StrategyName): BlockAlignment | null {
  if (strategy === 'llada2.threshold' || strategy === 'llada21.edit') return 'zero';
  if (
    strategy.startsWith('llada.') ||
    strategy === 'fastdllm.threshold' ||
    strategy === 'eb.entropy_bound' ||
    strategy === 'dus.dilated'
  ) {
    return 'prompt';
  }
  return null;
}

/** Strategies that cut the window into semi-autoregressive blocks. */
export function usesBlocks(strategy: StrategyName): boolean {
  return blockAlignment(strategy) !== null;
}

/** Block strategies whose `steps` is a total that must split evenly into the blocks. */
export function stepsSplitIntoBlocks(strategy: StrategyName): boolean {
  return (
    strategy.startsWith('llada.') ||
    strategy === 'fastdllm.threshold' ||
    strategy === 'eb.entropy_bound'
  );
}

/**
 * Strategies that commit every position once and never take one back: past one call per
 * position their calls commit nothing. (ReMDM remasks, so its extra calls rewrite; Fast-dLLM's
 * steps only cut blocks; the typewriter makes one call per token whatever steps says.)
 */
export function commitsEachPositionOnce(strategy: StrategyName): boolean {
  return strategy === 'article' || strategy.startsWith('llada.') || strategy.startsWith('dream.');
}

/** Strategies whose number of model calls does not follow from `steps`. */
export function ignoresSteps(strategy: StrategyName): boolean {
  return (
    strategy === 'autoregressive' ||
    strategy === 'llada21.edit' ||
    strategy === 'dus.dilated' ||
    strategy === 'human'
  );
}

function isInt(x: unknown, min: number): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= min;
}

/** Fill defaults and validate; throws an Error naming the first bad field. */
export function resolveOptions(options: SamplerOptions): ResolvedSamplerOptions {
  const o = options;
  const known: readonly string[] = [...STRATEGY_NAMES, ...MANUAL_STRATEGY_NAMES];
  if (!known.includes(o.strategy)) {
    throw new Error(`unknown strategy '${String(o.strategy)}' (known: ${known.join(', ')})`);
  }
  const r: ResolvedSamplerOptions = {
    strategy: o.strategy,
    steps: o.steps,
    blockLength: o.blockLength ?? null,
    temperature: o.temperature ?? (o.strategy === 'article' ? 1 : 0),
    topK: o.topK ?? null,
    topP: o.topP ?? null,
    threshold: o.threshold ?? 0.9,
    editThreshold: o.editThreshold ?? 0.9,
    numToTransfer: o.numToTransfer ?? 1,
    maxPostSteps: o.maxPostSteps ?? 16,
    entropyBound: o.entropyBound ?? 1,
    dusBase: o.dusBase ?? 2,
    dusBaseSkip: o.dusBaseSkip ?? 1,
    dusRemasking: o.dusRemasking ?? 'none',
    dusThreshold: o.dusThreshold ?? 0.5,
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
  if (!(r.editThreshold >= 0 && r.editThreshold <= 1))
    throw new Error(`editThreshold must be in [0, 1], got ${r.editThreshold}`);
  if (!isInt(r.numToTransfer, 1))
    throw new Error(`numToTransfer must be an integer ≥ 1, got ${r.numToTransfer}`);
  if (!isInt(r.maxPostSteps, 0))
    throw new Error(`maxPostSteps must be an integer ≥ 0, got ${r.maxPostSteps}`);
  if (!(r.entropyBound >= 0 && Number.isFinite(r.entropyBound)))
    throw new Error(`entropyBound must be a finite number ≥ 0 (bits), got ${r.entropyBound}`);
  if (!isInt(r.dusBase, 1)) throw new Error(`dusBase must be an integer ≥ 1, got ${r.dusBase}`);
  if (!isInt(r.dusBaseSkip, 0))
    throw new Error(`dusBaseSkip must be an integer ≥ 0, got ${r.dusBaseSkip}`);
  if (!['none', 'low_confidence'].includes(r.dusRemasking))
    throw new Error(`unknown dusRemasking '${r.dusRemasking}'`);
  if (!(r.dusThreshold >= 0 && r.dusThreshold <= 1))
    throw new Error(`dusThreshold must be in [0, 1], got ${r.dusThreshold}`);
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
  if (r.strategy === 'human' && (r.temperature !== 0 || r.topK !== null || r.topP !== null)) {
    throw new Error('human: the person is shown the greedy guesses, so temperature must be 0');
  }
  if (r.maxCalls !== null && !isInt(r.maxCalls, 1))
    throw new Error(`maxCalls must be an integer ≥ 1 or null, got ${r.maxCalls}`);
  return r;
}

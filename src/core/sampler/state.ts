/**
 * The sampler's state between model calls. It is never mutated: step() returns a new one.
 *
 * A position is exactly one of: pinned (prompt prefix or an infilled token the user fixed; never
 * a candidate, never changed), committed (not pinned and holding a real token), or masked (not
 * pinned and holding the mask id). "Masked" is read from the token itself, as upstream does, so
 * a committed [MASK] prediction (possible only with maskToken 'allow') leaves the position masked.
 */
import { evenSplitSchedule } from './schedule';
import { blockAlignment, stepsSplitIntoBlocks, type ResolvedSamplerOptions } from './options';

export interface SamplerInit {
  /** Pinned prefix (may be empty). */
  prompt: readonly number[];
  /** Positions after the prompt that the sampler fills. */
  genLength: number;
  /** Infilling: tokens fixed inside the generated region; `position` indexes the whole sequence. */
  infill?: readonly { position: number; token: number }[];
}

export interface SamplerState {
  /** The whole sequence, prompt first; masked positions hold maskId. */
  readonly tokens: Int32Array;
  /** 1 where the position is fixed by the user. */
  readonly pinned: Uint8Array;
  /** Model call at which the position's current token was committed; −1 if masked or pinned. */
  readonly committedAt: Int32Array;
  readonly promptLength: number;
  readonly maskId: number;
  /** Masked positions at the start (the article's and ReMDM's schedules count from it). */
  readonly initialMasked: number;
  /** Model calls made so far (the index of the next call). */
  readonly call: number;
  /** Current semi-autoregressive block (0 for strategies without blocks). */
  readonly block: number;
  /** Calls already made in the current block. */
  readonly stepInBlock: number;
  /**
   * LLaDA: commits per step of the current block, fixed when the block starts; LLaDA2.0: the
   * floor schedule; [] otherwise.
   */
  readonly blockSchedule: readonly number[];
  /**
   * LLaDA2.1: upstream's `post` counter of the current block (steps begun with no mask left in
   * the block, the coming one included); 0 otherwise.
   */
  readonly postSteps: number;
  readonly done: boolean;
}

export function sequenceLength(state: SamplerState): number {
  return state.tokens.length;
}

export function genLength(state: SamplerState): number {
  return state.tokens.length - state.promptLength;
}

export function isMasked(state: SamplerState, i: number): boolean {
  return state.pinned[i] === 0 && state.tokens[i] === state.maskId;
}

/** Masked positions in [from, to). */
export function countMasked(state: SamplerState, from = 0, to = state.tokens.length): number {
  let n = 0;
  for (let i = from; i < to; i++) if (isMasked(state, i)) n++;
  return n;
}

/**
 * The block length actually used: the option for block strategies (when null, one block: the
 * generated region for prompt-aligned blocks, the whole window for blocks aligned to 0), else the
 * whole generated region.
 */
export function effectiveBlockLength(state: SamplerState, options: ResolvedSamplerOptions): number {
  const align = blockAlignment(options.strategy);
  if (align === 'zero') return options.blockLength ?? state.tokens.length;
  const g = genLength(state);
  return align === 'prompt' ? (options.blockLength ?? g) : g;
}

/**
 * Blocks of the window. Prompt-aligned blocks divide the generated region exactly. Blocks aligned
 * to 0 (LLaDA2) cover the window from its first position; when the window is not a multiple of
 * the block length the last block is cut at its end (upstream lengthens its canvas to a multiple
 * instead, which a model's fixed window cannot do).
 */
export function blockCount(state: SamplerState, options: ResolvedSamplerOptions): number {
  const len = effectiveBlockLength(state, options);
  if (blockAlignment(options.strategy) === 'zero') return Math.ceil(state.tokens.length / len);
  const g = genLength(state);
  return g === 0 ? 0 : g / len;
}

/** [start, end) of block b in sequence positions. */
export function blockRange(
  state: SamplerState,
  options: ResolvedSamplerOptions,
  b: number,
): [number, number] {
  const len = effectiveBlockLength(state, options);
  if (blockAlignment(options.strategy) === 'zero') {
    return [b * len, Math.min((b + 1) * len, state.tokens.length)];
  }
  const start = state.promptLength + b * len;
  return [start, start + len];
}

/** LLaDA's per-block schedule, computed from the block's masks when the block starts. */
export function scheduleForBlock(
  state: SamplerState,
  options: ResolvedSamplerOptions,
  b: number,
): number[] {
  if (!options.strategy.startsWith('llada.')) return [];
  const [start, end] = blockRange(state, options, b);
  return evenSplitSchedule(countMasked(state, start, end), stepsPerBlock(state, options));
}

/** Calls per block for the strategies whose `steps` is split evenly over the blocks. */
export function stepsPerBlock(state: SamplerState, options: ResolvedSamplerOptions): number {
  const blocks = blockCount(state, options);
  return blocks === 0 ? options.steps : options.steps / blocks;
}

/**
 * The sequence with its initial tokens and nothing decided about blocks yet; throws if the init
 * does not fit the options. `createInitialState` (initialState.ts) adds the strategy's start.
 */
export function startingTokens(
  init: SamplerInit,
  maskId: number,
  options: ResolvedSamplerOptions,
): SamplerState {
  const { prompt, genLength: g } = init;
  if (!Number.isInteger(g) || g < 1) throw new Error(`genLength must be an integer ≥ 1, got ${g}`);
  const n = prompt.length + g;
  const tokens = new Int32Array(n).fill(maskId);
  const pinned = new Uint8Array(n);
  const fix = (position: number, token: number, what: string) => {
    if (!Number.isInteger(token) || token < 0)
      throw new Error(`${what}: token ${token} is not a token id`);
    if (token === maskId)
      throw new Error(`${what}: a pinned token cannot be the mask id ${maskId}`);
    tokens[position] = token;
    pinned[position] = 1;
  };
  prompt.forEach((token, i) => fix(i, token, `prompt[${i}]`));
  for (const { position, token } of init.infill ?? []) {
    if (!Number.isInteger(position) || position < prompt.length || position >= n) {
      throw new Error(
        `infill position ${position} is outside the generated region [${prompt.length}, ${n})`,
      );
    }
    fix(position, token, `infill at ${position}`);
  }
  if (options.strategy === 'autoregressive' && !pinned[0]) {
    throw new Error(
      'autoregressive decoding needs the first position given (a prompt of at least one token): ' +
        'a next-token model predicts each position from the ones before it, so nothing predicts position 1',
    );
  }
  const align = blockAlignment(options.strategy);
  if (align === 'prompt') {
    const len = options.blockLength ?? g;
    if (g % len !== 0) throw new Error(`genLength ${g} is not a multiple of blockLength ${len}`);
    if (stepsSplitIntoBlocks(options.strategy) && options.steps % (g / len) !== 0) {
      throw new Error(
        `steps ${options.steps} is not a multiple of the number of blocks ${g / len}`,
      );
    }
  } else if (align === null && options.blockLength !== null && options.blockLength !== g) {
    throw new Error(
      `${options.strategy} has no blocks: blockLength must be null or genLength ${g}`,
    );
  }
  const base: SamplerState = {
    tokens,
    pinned,
    committedAt: new Int32Array(n).fill(-1),
    promptLength: prompt.length,
    maskId,
    initialMasked: 0,
    call: 0,
    block: 0,
    stepInBlock: 0,
    blockSchedule: [],
    postSteps: 0,
    done: false,
  };
  return { ...base, initialMasked: countMasked(base) };
}

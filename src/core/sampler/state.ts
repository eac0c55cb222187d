/**
 * The sampler's state between model calls. It is never mutated: step() returns a new one.
 *
 * A position is exactly one of: pinned (prompt prefix or an infilled token the user fixed; never
 * a candidate, never changed), committed (not pinned and holding a real token), or masked (not
 * pinned and holding the mask id). "Masked" is read from the token itself, as upstream does, so
 * a committed [MASK] prediction (possible only with maskToken 'allow') leaves the position masked.
 */
import { evenSplitSchedule } from './schedule';
import { usesBlocks, type ResolvedSamplerOptions } from './options';

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
  /** LLaDA: commits per step of the current block, fixed when the block starts; [] otherwise. */
  readonly blockSchedule: readonly number[];
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

/** The block length actually used: the option for block strategies, else the whole region. */
export function effectiveBlockLength(state: SamplerState, options: ResolvedSamplerOptions): number {
  const g = genLength(state);
  return usesBlocks(options.strategy) ? (options.blockLength ?? g) : g;
}

export function blockCount(state: SamplerState, options: ResolvedSamplerOptions): number {
  const g = genLength(state);
  return g === 0 ? 0 : g / effectiveBlockLength(state, options);
}

/** [start, end) of block b in sequence positions. */
export function blockRange(
  state: SamplerState,
  options: ResolvedSamplerOptions,
  b: number,
): [number, number] {
  const len = effectiveBlockLength(state, options);
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

export function stepsPerBlock(state: SamplerState, options: ResolvedSamplerOptions): number {
  const blocks = blockCount(state, options);
  return blocks === 0 ? options.steps : options.steps / blocks;
}

/** Build the starting state; throws if the init does not fit the options. */
export function createInitialState(
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
  if (usesBlocks(options.strategy)) {
    const len = options.blockLength ?? g;
    if (g % len !== 0) throw new Error(`genLength ${g} is not a multiple of blockLength ${len}`);
    if (options.steps % (g / len) !== 0) {
      throw new Error(
        `steps ${options.steps} is not a multiple of the number of blocks ${g / len}`,
      );
    }
  } else if (options.blockLength !== null && options.blockLength !== g) {
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
    done: false,
  };
  const state: SamplerState = { ...base, initialMasked: countMasked(base) };
  return { ...state, blockSchedule: scheduleForBlock(state, options, 0) };
}

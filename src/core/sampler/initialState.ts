/**
 * The sampler's starting state: the window's tokens (state.ts) and the strategy's own start
 * (which block comes first, its schedule, or done at once when nothing needs a call). Kept apart
 * from state.ts because the strategies import state.ts.
 */
import type { ResolvedSamplerOptions } from './options';
import { startingTokens, type SamplerInit, type SamplerState } from './state';
import { strategyFor } from './strategies';

/** Build the starting state; throws if the init does not fit the options. */
export function createInitialState(
  init: SamplerInit,
  maskId: number,
  options: ResolvedSamplerOptions,
): SamplerState {
  const state = startingTokens(init, maskId, options);
  return { ...state, ...strategyFor(options.strategy).start(state, options) };
}

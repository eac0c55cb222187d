/**
 * Which positions may be committed in a call: the masked ones in [start, end). LLaDA and
 * Fast-dLLM pass the end of the current block (later blocks must wait); the others pass the
 * sequence end; the newer block samplers also pass their block's start. Pinned positions are
 * never candidates.
 */
import { isMasked, type SamplerState } from './state';

export function maskedCandidates(state: SamplerState, end: number, start = 0): Uint8Array {
  const out = new Uint8Array(state.tokens.length);
  for (let i = start; i < Math.min(end, state.tokens.length); i++) {
    if (isMasked(state, i)) out[i] = 1;
  }
  return out;
}

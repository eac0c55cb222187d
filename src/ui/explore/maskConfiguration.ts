import { maskWithDraws, sampleDraws } from '../../core/forwardProcess';
import { Rng } from '../../core/rng';
import type { MaskScope } from '../../state/explorerSlice';

/**
 * Which window positions are masked: by the draws (u_i < t, the forward process of
 * src/core/forwardProcess.ts) or by hand. Masking only ever touches positions [0, L) of the
 * scope; positions past L (the [EOS]s, in the words scope) stay visible.
 */

/** L: the sentence's own tokens ('words'), or every position of the window ('window'). */
export function scopeLength(scope: MaskScope, wordCount: number, seqLen: number): number {
  return scope === 'words' ? wordCount : seqLen;
}

/** One uniform draw per window position from the seed; the words scope uses the first L. */
export function explorerDraws(seed: number, seqLen: number): Float64Array {
  return sampleDraws(new Rng(seed), seqLen);
}

export interface MaskConfiguration {
  /** [seqLen] */
  masked: boolean[];
  /** [seqLen]: the window with [MASK] at the masked positions. */
  tokens: Int32Array;
  k: number;
  L: number;
  handPicked: boolean;
}

export interface MaskPattern {
  /** '1' where a position of [0, L) is masked: a cheap key that changes only with the masks. */
  bits: string;
  handPicked: boolean;
}

/**
 * `picked` is used when it covers exactly the scope's L positions; otherwise (null, or a link
 * made for another sentence) the draws decide, through the forward process of src/core.
 */
export function maskPattern(
  window: Int32Array,
  draws: Float64Array,
  t: number,
  L: number,
  picked: readonly boolean[] | null,
  maskId: number,
): MaskPattern {
  const handPicked = picked !== null && picked.length === L;
  const masked = handPicked
    ? picked
    : maskWithDraws(window.subarray(0, L), draws.subarray(0, L), t, maskId).masked;
  return { bits: masked.map((m) => (m ? '1' : '0')).join(''), handPicked };
}

export function configurationFromPattern(
  window: Int32Array,
  { bits, handPicked }: MaskPattern,
  maskId: number,
): MaskConfiguration {
  const masked = Array.from({ length: window.length }, (_, i) => bits[i] === '1');
  const tokens = window.map((id, i) => (masked[i] ? maskId : id));
  return { masked, tokens, k: masked.filter(Boolean).length, L: bits.length, handPicked };
}

export function maskConfiguration(
  window: Int32Array,
  draws: Float64Array,
  t: number,
  L: number,
  picked: readonly boolean[] | null,
  maskId: number,
): MaskConfiguration {
  return configurationFromPattern(window, maskPattern(window, draws, t, L, picked, maskId), maskId);
}

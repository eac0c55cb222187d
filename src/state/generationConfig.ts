/**
 * What the generation view will run: strategy and knobs, seed, prompt and pinned words, and the
 * second run of a side-by-side comparison. It is plain data that round-trips through the URL
 * hash, so a link sets up the same run. Values are kept as the person typed them (a step count
 * of 0 stays 0); `planRuns` says what is wrong with them instead of this file silently fixing
 * them.
 *
 * Hash keys (positions are 1-based, as on screen):
 * strategy, steps, block, len, temp, topk, topp, thr, remask, eta, eoslast (1/0), seed, prompt,
 * pins ("6:cat,9:dog"), compare (1/0), strategyB, stepsB, blockB; for the newer samplers
 * ethr (LLaDA2.1 editing threshold), floor (its tokens per call), post (its max post steps),
 * gamma (EB-Sampler, bits), dusbase, dusremask (none / low_confidence), dusthr (DUS). An empty value
 * means "none" (no block length, no top-k, the whole window after the prompt).
 */
import {
  STRATEGY_NAMES,
  type DusRemasking,
  type RemaskSchedule,
  type StrategyName,
} from '../core/sampler';
import type { HashParams } from './urlHash';

/** Run A is the main run; run B is the second run of a side-by-side comparison. */
export type RunKey = 'a' | 'b';

/** The knobs that may differ between the two runs of a comparison. */
export interface RunSettings {
  strategy: StrategyName;
  steps: number;
  /** Semi-autoregressive block length (block strategies only); null = one block. */
  blockLength: number | null;
}

/** A word fixed at a window position (0-based) inside the written region: infilling. */
export interface Pin {
  position: number;
  word: string;
}

export interface GenerationConfig {
  a: RunSettings;
  b: RunSettings;
  /** Whether run B is computed next to run A, from the same seed. */
  sideBySide: boolean;
  /**
   * Positions the sampler writes after the prompt; the rest of the window is pinned to [EOS]
   * (the toy corpus's window format: words, then [EOS] to the end). null = the whole window.
   */
  length: number | null;
  temperature: number;
  topK: number | null;
  topP: number | null;
  threshold: number;
  remaskSchedule: RemaskSchedule;
  remaskEta: number;
  /**
   * LLaDA's `confidence_eos_eot_inf`: a prediction of [EOS] gets −∞ confidence, so it is
   * committed only when nothing else is left. A model trained on windows padded with [EOS] is
   * surest of that padding and would otherwise write it first, right to left (see the story
   * "Why [EOS] comes first"). Only for models with an [EOS] token; never for the typewriter.
   */
  eosLast: boolean;
  /** LLaDA2.1: rewrite a placed token when the new argmax is more probable than this. */
  editThreshold: number;
  /** LLaDA2.1: tokens unmasked per call at least (num_to_transfer). */
  numToTransfer: number;
  /** LLaDA2.1: calls per block after its last mask, at most. */
  maxPostSteps: number;
  /** EB-Sampler: γ in bits. */
  entropyBound: number;
  /** DUS: stride divisor of the dilated levels. */
  dusBase: number;
  dusRemasking: DusRemasking;
  dusThreshold: number;
  seed: number;
  prompt: string;
  pins: Pin[];
}

export const DEFAULT_CONFIG: GenerationConfig = {
  a: { strategy: 'article', steps: 16, blockLength: null },
  b: { strategy: 'llada.low_confidence', steps: 16, blockLength: null },
  sideBySide: false,
  length: null,
  temperature: 1,
  topK: null,
  topP: null,
  threshold: 0.9,
  remaskSchedule: 'cap',
  remaskEta: 0.1,
  eosLast: true,
  editThreshold: 0.9,
  numToTransfer: 1,
  maxPostSteps: 16,
  entropyBound: 1,
  dusBase: 2,
  dusRemasking: 'none',
  dusThreshold: 0.5,
  seed: 1,
  prompt: '',
  pins: [],
};

/** Any finite number, or the fallback when the key is absent or not a number. */
function numberOr(h: HashParams, key: string, fallback: number): number {
  const raw = h[key];
  if (raw === undefined || raw.trim() === '') return fallback;
  const v = Number(raw);
  return Number.isFinite(v) ? v : fallback;
}

/** An empty value means null; an absent key keeps the fallback. */
function nullableNumber(h: HashParams, key: string, fallback: number | null): number | null {
  const raw = h[key];
  if (raw === undefined) return fallback;
  if (raw.trim() === '') return null;
  const v = Number(raw);
  return Number.isFinite(v) ? v : fallback;
}

function strategyOr(h: HashParams, key: string, fallback: StrategyName): StrategyName {
  return STRATEGY_NAMES.find((s) => s === h[key]) ?? fallback;
}

const optional = (v: number | null) => (v === null ? '' : String(v));

/** "6:cat,9:dog" (1-based positions); words are URI-encoded so any typed text survives. */
export function formatPins(pins: readonly Pin[]): string {
  return [...pins]
    .sort((x, y) => x.position - y.position)
    .map((p) => `${p.position + 1}:${encodeURIComponent(p.word)}`)
    .join(',');
}

export function parsePins(text: string): Pin[] {
  const pins = new Map<number, string>();
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    const position = Number(part.slice(0, colon)) - 1;
    let word: string;
    try {
      word = decodeURIComponent(part.slice(colon + 1)).trim();
    } catch {
      continue;
    }
    if (Number.isInteger(position) && position >= 0 && word !== '') pins.set(position, word);
  }
  return [...pins].map(([position, word]) => ({ position, word }));
}

export function configFromHash(h: HashParams): GenerationConfig {
  const d = DEFAULT_CONFIG;
  return {
    a: {
      strategy: strategyOr(h, 'strategy', d.a.strategy),
      steps: numberOr(h, 'steps', d.a.steps),
      blockLength: nullableNumber(h, 'block', d.a.blockLength),
    },
    b: {
      strategy: strategyOr(h, 'strategyB', d.b.strategy),
      steps: numberOr(h, 'stepsB', d.b.steps),
      blockLength: nullableNumber(h, 'blockB', d.b.blockLength),
    },
    sideBySide: h.compare === '1',
    length: nullableNumber(h, 'len', d.length),
    temperature: numberOr(h, 'temp', d.temperature),
    topK: nullableNumber(h, 'topk', d.topK),
    topP: nullableNumber(h, 'topp', d.topP),
    threshold: numberOr(h, 'thr', d.threshold),
    remaskSchedule: h.remask === 'rescale' ? 'rescale' : d.remaskSchedule,
    remaskEta: numberOr(h, 'eta', d.remaskEta),
    eosLast: h.eoslast === undefined ? d.eosLast : h.eoslast !== '0',
    editThreshold: numberOr(h, 'ethr', d.editThreshold),
    numToTransfer: numberOr(h, 'floor', d.numToTransfer),
    maxPostSteps: numberOr(h, 'post', d.maxPostSteps),
    entropyBound: numberOr(h, 'gamma', d.entropyBound),
    dusBase: numberOr(h, 'dusbase', d.dusBase),
    dusRemasking: h.dusremask === 'low_confidence' ? 'low_confidence' : d.dusRemasking,
    dusThreshold: numberOr(h, 'dusthr', d.dusThreshold),
    seed: numberOr(h, 'seed', d.seed),
    prompt: h.prompt ?? d.prompt,
    pins: h.pins ? parsePins(h.pins) : d.pins,
  };
}

/** Every key is always written, so changing a value back to its default shows in the link. */
export function configToHash(c: GenerationConfig): HashParams {
  return {
    strategy: c.a.strategy,
    steps: String(c.a.steps),
    block: optional(c.a.blockLength),
    len: optional(c.length),
    temp: String(c.temperature),
    topk: optional(c.topK),
    topp: optional(c.topP),
    thr: String(c.threshold),
    remask: c.remaskSchedule,
    eta: String(c.remaskEta),
    eoslast: c.eosLast ? '1' : '0',
    ethr: String(c.editThreshold),
    floor: String(c.numToTransfer),
    post: String(c.maxPostSteps),
    gamma: String(c.entropyBound),
    dusbase: String(c.dusBase),
    dusremask: c.dusRemasking,
    dusthr: String(c.dusThreshold),
    seed: String(c.seed),
    prompt: c.prompt,
    pins: formatPins(c.pins),
    compare: c.sideBySide ? '1' : '0',
    strategyB: c.b.strategy,
    stepsB: String(c.b.steps),
    blockB: optional(c.b.blockLength),
  };
}

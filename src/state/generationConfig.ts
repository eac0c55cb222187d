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

/** A setting from a link that was not used, and why: the person is told, nothing is guessed. */
export interface IgnoredSetting {
  key: string;
  value: string;
  reason: string;
}

/** What each hash key sets, in the words of the controls. */
const CONTROL_OF_KEY: Record<string, string> = {
  strategy: 'Strategy',
  steps: 'Steps',
  block: 'Block length',
  len: 'Length',
  temp: 'Temperature',
  topk: 'Top-k',
  topp: 'Top-p',
  thr: 'Threshold',
  remask: 'Remask schedule',
  eta: 'Remask η',
  eoslast: '[EOS] last',
  ethr: 'Edit threshold',
  floor: 'Tokens per call',
  post: 'Post steps',
  gamma: 'Entropy bound γ',
  dusbase: 'DUS base',
  dusremask: 'DUS remasking',
  dusthr: 'DUS threshold',
  seed: 'Seed',
  pins: 'Pinned words',
  compare: 'Compare side by side',
  strategyB: 'Strategy of run B',
  stepsB: 'Steps of run B',
  blockB: 'Block length of run B',
};

/** Reads hash values, noting each one it cannot use. */
class HashReader {
  readonly ignored: IgnoredSetting[] = [];
  constructor(private readonly h: HashParams) {}

  private ignore(key: string, reason: string, fallback: string) {
    this.ignored.push({
      key,
      value: this.h[key],
      reason: `${CONTROL_OF_KEY[key] ?? key}: ${reason}, so ${fallback} is used`,
    });
  }

  /** Any finite number, or the fallback when the key is absent (or empty) or not a number. */
  number(key: string, fallback: number): number {
    const raw = this.h[key];
    if (raw === undefined || raw.trim() === '') return fallback;
    const v = Number(raw);
    if (Number.isFinite(v)) return v;
    this.ignore(key, `"${raw}" is not a number`, `the default ${fallback}`);
    return fallback;
  }

  /** An empty value means null; an absent key keeps the fallback. */
  nullableNumber(key: string, fallback: number | null): number | null {
    const raw = this.h[key];
    if (raw === undefined) return fallback;
    if (raw.trim() === '') return null;
    const v = Number(raw);
    if (Number.isFinite(v)) return v;
    this.ignore(
      key,
      `"${raw}" is not a number (empty means none)`,
      fallback === null ? 'none' : `the default ${fallback}`,
    );
    return fallback;
  }

  strategy(key: string, fallback: StrategyName): StrategyName {
    const raw = this.h[key];
    if (raw === undefined) return fallback;
    const known = STRATEGY_NAMES.find((s) => s === raw);
    if (known) return known;
    this.ignore(
      key,
      `"${raw}" is not a sampler this page knows (${STRATEGY_NAMES.join(', ')})`,
      fallback,
    );
    return fallback;
  }

  oneOf<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    const raw = this.h[key];
    if (raw === undefined) return fallback;
    const known = allowed.find((a) => a === raw);
    if (known) return known;
    this.ignore(key, `"${raw}" is none of ${allowed.join(', ')}`, fallback);
    return fallback;
  }

  pins(key: string): Pin[] {
    const raw = this.h[key];
    if (raw === undefined || raw === '') return [];
    const { pins, skipped } = readPins(raw);
    for (const part of skipped) {
      this.ignored.push({
        key,
        value: part,
        reason: `${CONTROL_OF_KEY[key]}: "${part}" is not position:word (a position from 1), so it is left out`,
      });
    }
    return pins;
  }
}

const optional = (v: number | null) => (v === null ? '' : String(v));

/** "6:cat,9:dog" (1-based positions); words are URI-encoded so any typed text survives. */
export function formatPins(pins: readonly Pin[]): string {
  return [...pins]
    .sort((x, y) => x.position - y.position)
    .map((p) => `${p.position + 1}:${encodeURIComponent(p.word)}`)
    .join(',');
}

/** The pins of "6:cat,9:dog", and the parts that are no pin (skipped, never guessed). */
function readPins(text: string): { pins: Pin[]; skipped: string[] } {
  const pins = new Map<number, string>();
  const skipped: string[] = [];
  for (const part of text.split(',')) {
    const colon = part.indexOf(':');
    const position = colon < 0 ? NaN : Number(part.slice(0, colon)) - 1;
    let word: string;
    try {
      word = colon < 0 ? '' : decodeURIComponent(part.slice(colon + 1)).trim();
    } catch {
      word = '';
    }
    if (Number.isInteger(position) && position >= 0 && word !== '') pins.set(position, word);
    else skipped.push(part);
  }
  return { pins: [...pins].map(([position, word]) => ({ position, word })), skipped };
}

export function parsePins(text: string): Pin[] {
  return readPins(text).pins;
}

/**
 * The configuration a link describes, and every value in it that could not be used (not a
 * number, an unknown sampler, a malformed pin), each with the control it was for and what is
 * used instead. Numbers out of range are kept as typed: planRuns says what is wrong with them.
 */
export function readConfigFromHash(h: HashParams): {
  config: GenerationConfig;
  ignored: IgnoredSetting[];
} {
  const d = DEFAULT_CONFIG;
  const r = new HashReader(h);
  const config: GenerationConfig = {
    a: {
      strategy: r.strategy('strategy', d.a.strategy),
      steps: r.number('steps', d.a.steps),
      blockLength: r.nullableNumber('block', d.a.blockLength),
    },
    b: {
      strategy: r.strategy('strategyB', d.b.strategy),
      steps: r.number('stepsB', d.b.steps),
      blockLength: r.nullableNumber('blockB', d.b.blockLength),
    },
    sideBySide: r.oneOf('compare', ['0', '1'], '0') === '1',
    length: r.nullableNumber('len', d.length),
    temperature: r.number('temp', d.temperature),
    topK: r.nullableNumber('topk', d.topK),
    topP: r.nullableNumber('topp', d.topP),
    threshold: r.number('thr', d.threshold),
    remaskSchedule: r.oneOf('remask', ['cap', 'rescale'], d.remaskSchedule),
    remaskEta: r.number('eta', d.remaskEta),
    eosLast: r.oneOf('eoslast', ['0', '1'], d.eosLast ? '1' : '0') === '1',
    editThreshold: r.number('ethr', d.editThreshold),
    numToTransfer: r.number('floor', d.numToTransfer),
    maxPostSteps: r.number('post', d.maxPostSteps),
    entropyBound: r.number('gamma', d.entropyBound),
    dusBase: r.number('dusbase', d.dusBase),
    dusRemasking: r.oneOf('dusremask', ['none', 'low_confidence'], d.dusRemasking),
    dusThreshold: r.number('dusthr', d.dusThreshold),
    seed: r.number('seed', d.seed),
    prompt: h.prompt ?? d.prompt,
    pins: r.pins('pins'),
  };
  return { config, ignored: r.ignored };
}

export function configFromHash(h: HashParams): GenerationConfig {
  return readConfigFromHash(h).config;
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

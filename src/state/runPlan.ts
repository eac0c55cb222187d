/**
 * From a configuration and the loaded model to what the sampler will be given: the window layout
 * (prompt, written region, [EOS] tail, pinned words) and each run's resolved options. Every
 * problem is reported in words with the control it belongs to, so the view can show it next to
 * that control instead of failing when Generate is pressed. Pure: no store, no DOM.
 */
import {
  blockAlignment,
  commitsEachPositionOnce,
  createInitialState,
  resolveOptions,
  stepsSplitIntoBlocks,
  usesBlocks,
  type ResolvedSamplerOptions,
  type SamplerInit,
  type SamplerOptions,
} from '../core/sampler';
import { MASK_TOKEN, tokenize, type UnknownWord, type Vocabulary } from '../core/vocabulary';
import type { ModelKind } from '../model/manifest';
import type { GenerationConfig, RunKey, RunSettings } from './generationConfig';

/** More steps than this would keep the page busy for minutes on a toy model; refused. */
export const MAX_STEPS = 1024;

export type ConfigField =
  | 'prompt'
  | 'pins'
  | 'length'
  | 'temperature'
  | 'topK'
  | 'topP'
  | 'threshold'
  | 'remaskEta'
  | 'editThreshold'
  | 'numToTransfer'
  | 'maxPostSteps'
  | 'entropyBound'
  | 'dusBase'
  | 'dusThreshold'
  | 'seed'
  | `${RunKey}.strategy`
  | `${RunKey}.steps`
  | `${RunKey}.blockLength`;

export interface PlanProblem {
  field: ConfigField;
  message: string;
}

export interface UnknownPin {
  position: number;
  word: string;
  suggestions: string[];
}

export interface PlannedRun {
  key: RunKey;
  options: ResolvedSamplerOptions;
  init: SamplerInit;
}

export interface PlanModel {
  vocab: Vocabulary;
  seqLen: number;
  /** Whether the model takes the masking ratio t as an input. */
  timeConditioned: boolean;
  /**
   * The package's kind: an autoregressive (causal, next-token) model takes only the
   * autoregressive strategy, a masked-diffusion model every other one. Absent = not checked.
   */
  kind?: ModelKind;
}

export interface RunPlan {
  /** Empty whenever there is a problem. */
  runs: PlannedRun[];
  problems: PlanProblem[];
  /** What will run but may surprise (calls that cannot commit anything); never blocks a run. */
  notes: PlanProblem[];
  promptWords: string[];
  promptUnknown: UnknownWord[];
  pinUnknown: UnknownPin[];
  promptLength: number;
  /** Positions the sampler writes (pinned words inside them included). */
  length: number;
  /** Positions after the prompt: the sampler's generated region, which blocks must divide. */
  genLength: number;
}

export function divisors(n: number): number[] {
  const out: number[] = [];
  for (let d = 1; d <= n; d++) if (n % d === 0) out.push(d);
  return out;
}

/** The control each option of resolveOptions is set with (its messages start with the option). */
const CONTROL_OF_OPTION: Record<string, { label: string; field: (key: RunKey) => ConfigField }> = {
  steps: { label: 'Steps', field: (k) => `${k}.steps` },
  blockLength: { label: 'Block length', field: (k) => `${k}.blockLength` },
  temperature: { label: 'Temperature', field: () => 'temperature' },
  topK: { label: 'Top-k', field: () => 'topK' },
  topP: { label: 'Top-p', field: () => 'topP' },
  threshold: { label: 'Threshold', field: () => 'threshold' },
  seed: { label: 'Seed', field: () => 'seed' },
  remaskEta: { label: 'Remask η', field: () => 'remaskEta' },
  editThreshold: { label: 'Edit threshold', field: () => 'editThreshold' },
  numToTransfer: { label: 'Tokens per call', field: () => 'numToTransfer' },
  maxPostSteps: { label: 'Post steps', field: () => 'maxPostSteps' },
  entropyBound: { label: 'γ', field: () => 'entropyBound' },
  dusBase: { label: 'DUS base', field: () => 'dusBase' },
  dusThreshold: { label: 'DUS threshold', field: () => 'dusThreshold' },
};

/** A resolveOptions error in the words of the controls, with the control it is about. */
function optionProblem(message: string, key: RunKey): PlanProblem {
  const option = /^\w+/.exec(message)?.[0] ?? '';
  const control = CONTROL_OF_OPTION[option];
  if (!control) return { field: `${key}.strategy`, message: `${message}.` };
  const text = `${control.label}${message.slice(option.length).replace(' or null', ' or empty')}.`;
  return { field: control.field(key), message: text };
}

export function samplerOptionsFor(
  settings: RunSettings,
  config: GenerationConfig,
  timeConditioned: boolean,
  eosId: number | null = null,
): SamplerOptions {
  return {
    strategy: settings.strategy,
    steps: settings.steps,
    blockLength: usesBlocks(settings.strategy) ? settings.blockLength : null,
    temperature: config.temperature,
    topK: config.topK,
    topP: config.topP,
    threshold: config.threshold,
    seed: config.seed,
    remaskSchedule: config.remaskSchedule,
    remaskEta: config.remaskEta,
    editThreshold: config.editThreshold,
    numToTransfer: config.numToTransfer,
    maxPostSteps: config.maxPostSteps,
    entropyBound: config.entropyBound,
    dusBase: config.dusBase,
    dusRemasking: config.dusRemasking,
    dusThreshold: config.dusThreshold,
    timeInput: timeConditioned ? 'nominal' : 'none',
    // The typewriter stops at its [EOS] and fills the tail (the window format); the diffusion
    // samplers may rank [EOS] last (LLaDA's confidence_eos_eot_inf).
    ...(settings.strategy === 'autoregressive'
      ? { eosId }
      : config.eosLast && eosId !== null
        ? { eosId, confidenceEosEotInf: true }
        : {}),
  };
}

/** A note when a run will make more calls than it has positions to write. */
function idleCallsNote(
  settings: RunSettings,
  written: number,
  key: RunKey,
  prefix: string,
): PlanProblem | null {
  if (!commitsEachPositionOnce(settings.strategy) || settings.steps <= written) return null;
  const idle = settings.steps - written;
  return {
    field: `${key}.steps`,
    message:
      `${prefix}${settings.steps} steps for ${written} positions to write: at most ${written} of ` +
      `the ${settings.steps} model calls can commit a token, so at least ${idle} commit nothing ` +
      `(each still costs a model call).`,
  };
}

/** Autoregressive decoding only for a causal model, and a causal model only with it. */
function kindProblem(
  strategy: RunSettings['strategy'],
  kind: ModelKind | undefined,
  prefix: string,
) {
  if (kind === undefined) return null;
  const typewriter = strategy === 'autoregressive';
  if (kind === 'autoregressive' && !typewriter) {
    return (
      `${prefix}this is an autoregressive model (causal attention, trained next-token): it can ` +
      `only write left to right. Choose the Autoregressive strategy.`
    );
  }
  if (kind !== 'autoregressive' && typewriter) {
    return (
      `${prefix}autoregressive decoding needs an autoregressive model; this one is a ` +
      `masked-diffusion model (it predicts the token at each masked position, not the next ` +
      `one). Choose a diffusion strategy or open the autoregressive twin.`
    );
  }
  return null;
}

/** The semi-autoregressive rules, in words a person can act on. */
function blockProblems(
  settings: RunSettings,
  genLength: number,
  key: RunKey,
  prefix: string,
): PlanProblem[] {
  const { strategy, steps, blockLength } = settings;
  // LLaDA2's blocks start at position 0 and the last one may be cut at the window's end.
  if (blockAlignment(strategy) !== 'prompt' || blockLength === null) return [];
  if (genLength % blockLength !== 0) {
    return [
      {
        field: `${key}.blockLength`,
        message:
          `${prefix}block length ${blockLength} does not divide the ${genLength} positions after ` +
          `the prompt (an [EOS] tail counts too); possible: ${divisors(genLength).join(', ')}.`,
      },
    ];
  }
  const blocks = genLength / blockLength;
  if (stepsSplitIntoBlocks(strategy) && steps % blocks !== 0) {
    const multiples = [1, 2, 3, 4].map((m) => m * blocks).join(', ');
    return [
      {
        field: `${key}.steps`,
        message:
          `${prefix}steps ${steps} must be a multiple of the number of blocks, ${blocks} ` +
          `(${genLength} positions in blocks of ${blockLength}); e.g. ${multiples}.`,
      },
    ];
  }
  return [];
}

export function planRuns(config: GenerationConfig, model: PlanModel): RunPlan {
  const { vocab, seqLen } = model;
  const problems: PlanProblem[] = [];
  const notes: PlanProblem[] = [];
  const add = (field: ConfigField, message: string) => {
    if (!problems.some((p) => p.message === message)) problems.push({ field, message });
  };

  // The prompt: a pinned prefix typed from the vocabulary.
  const promptWords = tokenize(config.prompt);
  const encoded = vocab.encodeWords(promptWords);
  const promptUnknown = encoded.unknown;
  for (const u of promptUnknown) add('prompt', `'${u.word}' is not in the model's vocabulary.`);
  if (promptWords.includes(MASK_TOKEN)) {
    add(
      'prompt',
      `The prompt cannot hold ${MASK_TOKEN}: leave a position blank in the pin row instead.`,
    );
  }
  const promptLength = promptWords.length;
  if (promptLength >= seqLen) {
    add(
      'prompt',
      `The prompt has ${promptLength} words; the window holds ${seqLen}, so leave at least one to write.`,
    );
  }
  const genLength = Math.max(0, seqLen - promptLength);

  // The written region and the [EOS] tail after it. A model without [EOS] cannot end a text
  // early: it writes every position after the prompt, and there is no tail.
  const endId = vocab.endId;
  let length = genLength;
  if (config.length !== null && endId === null) {
    add(
      'length',
      `Length ${config.length}: this model has no [EOS] token to end a shorter text, so it writes the whole window (${genLength} positions after the prompt). Leave Length empty.`,
    );
  } else if (config.length !== null) {
    if (!Number.isInteger(config.length) || config.length < 1 || config.length > genLength) {
      add(
        'length',
        `Length must be a whole number from 1 to ${genLength} (the window of ${seqLen} minus the prompt), got ${config.length}.`,
      );
    } else {
      length = config.length;
    }
  }

  // Pinned words (infilling).
  const infill: { position: number; token: number }[] = [];
  const pinUnknown: UnknownPin[] = [];
  for (const pin of [...config.pins].sort((x, y) => x.position - y.position)) {
    const n = pin.position + 1;
    if (pin.position < promptLength || pin.position >= promptLength + length) {
      add(
        'pins',
        `Position ${n} is pinned to '${pin.word}' but lies outside the written positions ${promptLength + 1}–${promptLength + length}.`,
      );
      continue;
    }
    const words = tokenize(pin.word);
    if (words.length !== 1) {
      add('pins', `Position ${n}: type exactly one word, got '${pin.word}'.`);
      continue;
    }
    const [word] = words;
    if (word === MASK_TOKEN) {
      add(
        'pins',
        `Position ${n}: ${MASK_TOKEN} cannot be pinned; leave the position blank to have it written.`,
      );
      continue;
    }
    if (!vocab.has(word)) {
      pinUnknown.push({ position: pin.position, word, suggestions: vocab.suggest(word) });
      add('pins', `Position ${n}: '${word}' is not in the model's vocabulary.`);
      continue;
    }
    infill.push({ position: pin.position, token: vocab.id(word) });
  }
  for (let p = promptLength + length; endId !== null && p < seqLen; p++) {
    infill.push({ position: p, token: endId });
  }
  if (problems.length === 0 && infill.length >= genLength) {
    add('pins', 'Every position is pinned: leave at least one blank for the model to write.');
  }

  const init: SamplerInit = {
    prompt: Array.from(encoded.ids),
    genLength,
    infill,
  };
  const keys: RunKey[] = config.sideBySide ? ['a', 'b'] : ['a'];
  const runs: PlannedRun[] = [];
  for (const key of keys) {
    const settings = config[key];
    const prefix = key === 'b' ? 'Run B: ' : '';
    if (Number.isInteger(settings.steps) && settings.steps > MAX_STEPS) {
      add(`${key}.steps`, `${prefix}at most ${MAX_STEPS} steps here, got ${settings.steps}.`);
      continue;
    }
    const wrongKind = kindProblem(settings.strategy, model.kind, prefix);
    if (wrongKind) {
      add(`${key}.strategy`, wrongKind);
      continue;
    }
    if (settings.strategy === 'autoregressive' && promptLength === 0) {
      add(
        'prompt',
        'Autoregressive decoding continues a prompt: type at least one word (the model predicts ' +
          'each position from the ones before it, so nothing predicts the first).',
      );
      continue;
    }
    let options: ResolvedSamplerOptions;
    try {
      options = resolveOptions(samplerOptionsFor(settings, config, model.timeConditioned, endId));
    } catch (e) {
      const problem = optionProblem((e as Error).message, key);
      const isShared = !problem.field.startsWith(`${key}.`);
      add(problem.field, `${isShared ? '' : prefix}${problem.message}`);
      continue;
    }
    const blocks = blockProblems(settings, genLength, key, prefix);
    blocks.forEach((p) => add(p.field, p.message));
    if (blocks.length > 0 || problems.length > 0) continue;
    try {
      createInitialState(init, vocab.maskId, options);
    } catch (e) {
      add(`${key}.strategy`, `${prefix}${(e as Error).message}.`);
      continue;
    }
    runs.push({ key, options, init });
    const pinnedInside = infill.filter((f) => f.position < promptLength + length).length;
    const note = idleCallsNote(settings, length - pinnedInside, key, prefix);
    if (note) notes.push(note);
  }
  return {
    runs: problems.length === 0 ? runs : [],
    problems,
    notes: problems.length === 0 ? notes : [],
    promptWords,
    promptUnknown,
    pinUnknown,
    promptLength,
    length,
    genLength,
  };
}

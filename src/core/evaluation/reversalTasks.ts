/**
 * The reversal-curse test (LLaDA, Nie et al. 2025, §4.3) posed to a model trained on couplet
 * windows in one direction only, first + [SEP] + second + [EOS]…:
 *
 * - forward: given the first line, write the second;
 * - reversal: given the second line, write the first.
 *
 * How each model is asked (greedy decoding, temperature 0):
 *
 * | model          | forward                                   | reversal                                       |
 * |----------------|-------------------------------------------|------------------------------------------------|
 * | diffusion      | first [SEP] [MASK]×n [EOS]…, n = len(second) | [MASK]×n [SEP] second [EOS]…, n = len(first) |
 * | autoregressive | prompt first [SEP], writes until [EOS]    | prompt second [SEP], writes until [EOS]        |
 *
 * The diffusion model infills the left part of the very window format it was trained on, so the
 * layout fixes how many characters it writes (where [SEP] sits); it gets the same in the forward
 * direction, so its two numbers compare like with like. It decodes with LLaDA's low-confidence
 * remasking, one character per call (steps = n). The autoregressive twin can only continue a
 * prefix, so for the reversal it must be prompted with the second line (an order it never saw)
 * and it chooses its own length: its answer ends at the first special token it writes.
 *
 * Couplets whose lines differ in length (51 of the LLaDA set's 469) are posed the same way: the
 * diffusion model's masked region has the length of the line it must write, never the other's.
 *
 * Exact match: the answer, cut at the first special token, equals the expected line character
 * for character.
 */
import type { SamplerInit, SamplerOptions } from '../sampler';
import { SEP_TOKEN, lineCharacters, type Couplet } from '../corpus/couplets';
import type { Vocabulary } from '../vocabulary';

export type ReversalDirection = 'forward' | 'reversal';
export type CoupletModelKind = 'masked-diffusion' | 'autoregressive';

export const REVERSAL_DIRECTIONS: readonly ReversalDirection[] = ['forward', 'reversal'];

/** What a task needs to know about the model it is posed to. */
export interface CoupletModelInfo {
  kind: CoupletModelKind;
  vocab: Vocabulary;
  seqLen: number;
  /** Whether the model takes t (only masked-diffusion models may). */
  timeConditioned: boolean;
}

export interface ReversalTask {
  direction: ReversalDirection;
  /** The line given and the line expected. */
  given: string;
  expected: string;
  init: SamplerInit;
  options: SamplerOptions;
  /** First window position of the answer. */
  answerStart: number;
}

export type PoseResult = { ok: true; task: ReversalTask } | { ok: false; reason: string };

/** The id of every special token of a couplet vocabulary ([MASK], [PAD], [EOS], [SEP]). */
function specialIds(vocab: Vocabulary): Set<number> {
  const ids = new Set([vocab.maskId, vocab.padId, vocab.eosId]);
  if (vocab.has(SEP_TOKEN)) ids.add(vocab.id(SEP_TOKEN));
  return ids;
}

/**
 * The task for one couplet, direction and model, or why it cannot be posed: a character the
 * model's vocabulary lacks, a couplet longer than its window, or a vocabulary without [SEP].
 */
export function poseReversalTask(
  couplet: Couplet,
  direction: ReversalDirection,
  model: CoupletModelInfo,
): PoseResult {
  const { vocab, seqLen } = model;
  if (!vocab.has(SEP_TOKEN)) {
    return { ok: false, reason: `the model's vocabulary has no ${SEP_TOKEN} token` };
  }
  const first = lineCharacters(couplet.first);
  const second = lineCharacters(couplet.second);
  const unknown = [...new Set([...first, ...second].filter((ch) => !vocab.has(ch)))];
  if (unknown.length > 0) {
    return { ok: false, reason: `the model never saw the character(s) ${unknown.join(' ')}` };
  }
  const needed = first.length + second.length + 2;
  if (needed > seqLen) {
    return {
      ok: false,
      reason: `${first.length} + ${second.length} characters need a window of ${needed}; the model's is ${seqLen}`,
    };
  }
  const ids = (chars: string[]) => chars.map((ch) => vocab.id(ch));
  const sep = vocab.id(SEP_TOKEN);
  const eos = vocab.eosId;
  const [given, expected] = direction === 'forward' ? [first, second] : [second, first];
  const base = {
    direction,
    given: given.join(''),
    expected: expected.join(''),
  };

  if (model.kind === 'autoregressive') {
    const prompt = [...ids(given), sep];
    return {
      ok: true,
      task: {
        ...base,
        init: { prompt, genLength: seqLen - prompt.length },
        options: {
          strategy: 'autoregressive',
          steps: 1,
          temperature: 0,
          eosId: eos,
          timeInput: 'none',
        },
        answerStart: prompt.length,
      },
    };
  }

  const timeInput = model.timeConditioned ? 'nominal' : 'none';
  const options: SamplerOptions = {
    strategy: 'llada.low_confidence',
    steps: expected.length,
    temperature: 0,
    timeInput,
  };
  const eosTail = (from: number) =>
    Array.from({ length: seqLen - from }, (_, k) => ({ position: from + k, token: eos }));
  if (direction === 'forward') {
    const prompt = [...ids(first), sep];
    const end = prompt.length + second.length;
    return {
      ok: true,
      task: {
        ...base,
        init: { prompt, genLength: seqLen - prompt.length, infill: eosTail(end) },
        options,
        answerStart: prompt.length,
      },
    };
  }
  // Reversal: infill the left part; [SEP], the second line and the [EOS] tail are pinned.
  const right = [sep, ...ids(second)];
  const infill = [
    ...right.map((token, k) => ({ position: first.length + k, token })),
    ...eosTail(first.length + right.length),
  ];
  return {
    ok: true,
    task: { ...base, init: { prompt: [], genLength: seqLen, infill }, options, answerStart: 0 },
  };
}

/** The model's answer: the characters from answerStart up to the first special token. */
export function readAnswer(
  final: ArrayLike<number>,
  task: ReversalTask,
  vocab: Vocabulary,
): string {
  const special = specialIds(vocab);
  let answer = '';
  for (let i = task.answerStart; i < final.length && !special.has(final[i]); i++) {
    answer += vocab.word(final[i]);
  }
  return answer;
}

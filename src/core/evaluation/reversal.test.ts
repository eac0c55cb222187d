import { describe, expect, it } from 'vitest';
import { coupletVocabulary, coupletWindow, SEP_TOKEN, type Couplet } from '../corpus/couplets';
import type { LogitsModel } from '../sampler';
import type { Vocabulary } from '../vocabulary';
import { evaluateReversal, samplerOver, type CoupletModel } from './reversalEvaluation';
import { poseReversalTask, readAnswer, type CoupletModelInfo } from './reversalTasks';

// Lines of unequal length on purpose (the LLaDA set has 51 such couplets).
const COUPLETS: Couplet[] = [
  { first: 'abc', second: 'xyz' },
  { first: 'ab', second: 'zzz' },
  { first: 'ca', second: 'yx' },
];
const vocab = coupletVocabulary(COUPLETS);
const L = 9;
const id = (ch: string) => vocab.id(ch);
const SEP = id(SEP_TOKEN);
const EOS = vocab.eosId;
const M = vocab.maskId;
const windows = COUPLETS.map((c) => Array.from(coupletWindow(c, vocab, L)));

/** Logits that put (almost) all mass on one token per position. */
function sure(tokens: number[], V: number): Float64Array {
  const out = new Float64Array(tokens.length * V).fill(-20);
  tokens.forEach((t, i) => (out[i * V + t] = 0));
  return out;
}

/**
 * A perfect bidirectional memoriser: at every position, the token of the first training window
 * that agrees with every unmasked token (so it infills either side).
 */
function memoriser(vocabulary: Vocabulary): LogitsModel {
  return {
    vocabSize: vocabulary.size,
    seqLen: L,
    maskId: M,
    async logits(tokens) {
      const fits = windows.find((w) => w.every((t, i) => tokens[i] === M || tokens[i] === t));
      return sure(fits ?? new Array(L).fill(EOS), vocabulary.size);
    },
  };
}

/**
 * A perfect next-token memoriser, causal by construction: position i's row predicts the token
 * after the first training window whose prefix up to i matches; [EOS] when none does.
 */
function forwardOnly(vocabulary: Vocabulary): LogitsModel {
  return {
    vocabSize: vocabulary.size,
    seqLen: L,
    maskId: M,
    async logits(tokens) {
      const next = Array.from({ length: L }, (_, i) => {
        const w = windows.find((x) => x.slice(0, i + 1).every((t, j) => t === tokens[j]));
        return w && i + 1 < L ? w[i + 1] : EOS;
      });
      return sure(next, vocabulary.size);
    },
  };
}

const info = (kind: CoupletModelInfo['kind']): CoupletModelInfo => ({
  kind,
  vocab,
  seqLen: L,
  timeConditioned: false,
});

describe('reversal tasks', () => {
  it('poses the diffusion reversal as a left infill with the first line’s length', () => {
    const posed = poseReversalTask(COUPLETS[1], 'reversal', info('masked-diffusion'));
    if (!posed.ok) throw new Error(posed.reason);
    const { init, options, expected } = posed.task;
    expect(expected).toBe('ab');
    expect(init.prompt).toEqual([]);
    expect(init.genLength).toBe(L);
    // [MASK] [MASK] [SEP] z z z [EOS] [EOS] [EOS]
    const window = new Array(L).fill(M);
    for (const p of init.infill!) window[p.position] = p.token;
    expect(window).toEqual([M, M, SEP, id('z'), id('z'), id('z'), EOS, EOS, EOS]);
    expect(options).toMatchObject({ strategy: 'llada.low_confidence', steps: 2, temperature: 0 });
  });

  it('poses the diffusion forward as first [SEP] then the second line’s length of masks', () => {
    const posed = poseReversalTask(COUPLETS[0], 'forward', info('masked-diffusion'));
    if (!posed.ok) throw new Error(posed.reason);
    expect(posed.task.init.prompt).toEqual([id('a'), id('b'), id('c'), SEP]);
    expect(posed.task.init.infill!.map((p) => p.position)).toEqual([7, 8]);
    expect(posed.task.options.steps).toBe(3);
    expect(posed.task.answerStart).toBe(4);
  });

  it('prompts the autoregressive twin with the given line and [SEP], letting it stop itself', () => {
    const posed = poseReversalTask(COUPLETS[2], 'reversal', info('autoregressive'));
    if (!posed.ok) throw new Error(posed.reason);
    expect(posed.task.init).toEqual({ prompt: [id('y'), id('x'), SEP], genLength: 6 });
    expect(posed.task.options).toMatchObject({ strategy: 'autoregressive', eosId: EOS });
  });

  it('says why a couplet cannot be posed', () => {
    const unknown = poseReversalTask(
      { first: 'aq', second: 'b' },
      'forward',
      info('autoregressive'),
    );
    expect(unknown).toEqual({ ok: false, reason: 'the model never saw the character(s) q' });
    const long = poseReversalTask(
      { first: 'abcab', second: 'abc' },
      'forward',
      info('autoregressive'),
    );
    expect(long).toEqual({
      ok: false,
      reason: "5 + 3 characters need a window of 10; the model's is 9",
    });
  });

  it('reads the answer up to the first special token', () => {
    const posed = poseReversalTask(COUPLETS[2], 'reversal', info('autoregressive'));
    if (!posed.ok) throw new Error(posed.reason);
    const final = [id('y'), id('x'), SEP, id('c'), id('a'), SEP, id('x'), EOS, EOS];
    expect(readAnswer(final, posed.task, vocab)).toBe('ca');
  });
});

describe('evaluateReversal', () => {
  const models: CoupletModel[] = [
    { ...info('masked-diffusion'), sample: samplerOver(memoriser(vocab)) },
    { ...info('autoregressive'), sample: samplerOver(forwardOnly(vocab)) },
  ];

  it('scores a bidirectional memoriser 1/1 and a forward-only one 1/0: the reversal curse', async () => {
    const seen: number[] = [];
    const result = await evaluateReversal(COUPLETS, models, {
      onOutcome: (_, done, total) => seen.push(done / total),
    });
    expect(result.skipped).toEqual([]);
    expect(result.scores.map((s) => [s.kind, s.direction, s.correct, s.n])).toEqual([
      ['masked-diffusion', 'forward', 3, 3],
      ['masked-diffusion', 'reversal', 3, 3],
      ['autoregressive', 'forward', 3, 3],
      ['autoregressive', 'reversal', 0, 3],
    ]);
    expect(seen).toHaveLength(12);
    expect(seen[11]).toBe(1);
    const arForward = result.outcomes.filter(
      (o) => o.kind === 'autoregressive' && o.direction === 'forward',
    );
    // One call per character written plus the [EOS]: 'xyz' → 4, 'zzz' → 4, 'yx' → 3.
    expect(arForward.map((o) => o.calls)).toEqual([4, 4, 3]);
    const diffusionReversal = result.outcomes.filter(
      (o) => o.kind === 'masked-diffusion' && o.direction === 'reversal',
    );
    expect(diffusionReversal.map((o) => [o.answer, o.calls])).toEqual([
      ['abc', 3],
      ['ab', 2],
      ['ca', 2],
    ]);
  });

  it('counts couplets it cannot pose as skipped, not as wrong', async () => {
    const result = await evaluateReversal([...COUPLETS, { first: 'q', second: 'a' }], models, {
      directions: ['forward'],
    });
    expect(result.skipped.map((s) => [s.index, s.kind])).toEqual([
      [3, 'masked-diffusion'],
      [3, 'autoregressive'],
    ]);
    expect(result.scores.map((s) => s.n)).toEqual([3, 3]);
  });

  it('stops between answers when aborted', async () => {
    const controller = new AbortController();
    const run = evaluateReversal(COUPLETS, models, {
      onOutcome: (_, done) => {
        if (done === 2) controller.abort(new Error('stopped by the test'));
      },
      signal: controller.signal,
    });
    await expect(run).rejects.toThrow('stopped by the test');
  });
});

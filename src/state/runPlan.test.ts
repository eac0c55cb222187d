import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from '../core/sampler';
import { tableModel } from '../core/sampler/fakeModels.testutil';
import { Vocabulary } from '../core/vocabulary';
import { DEFAULT_CONFIG, type GenerationConfig } from './generationConfig';
import { divisors, planRuns, type PlanModel } from './runPlan';

const vocab = Vocabulary.withSpecials(['the', 'cat', 'sat', 'on', 'mat', 'dog', 'it', 'is']);
const model: PlanModel = { vocab, seqLen: 16, timeConditioned: true };
const EOS = vocab.eosId;
const config = (patch: Partial<GenerationConfig>): GenerationConfig => ({
  ...DEFAULT_CONFIG,
  ...patch,
});

describe('planRuns', () => {
  it("lays out the article's table: 6 written positions, the last 10 pinned to [EOS]", () => {
    const plan = planRuns(
      config({ a: { strategy: 'article', steps: 3, blockLength: null }, length: 6 }),
      model,
    );
    expect(plan.problems).toEqual([]);
    const [run] = plan.runs;
    expect(run.init.prompt).toEqual([]);
    expect(run.init.genLength).toBe(16);
    expect(run.init.infill).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ position: 6 + i, token: EOS })),
    );
    expect(run.options.strategy).toBe('article');
    expect(run.options.timeInput).toBe('nominal');
  });

  it("commits 2, 2, 2 with the article's sampler on that layout", async () => {
    const plan = planRuns(
      config({ a: { strategy: 'article', steps: 3, blockLength: null }, length: 6 }),
      model,
    );
    // Distinct confidences everywhere, the same table for every call.
    const row = Array.from({ length: 16 }, (_, i) => ({ token: 3 + (i % 5), prob: 0.3 + i / 40 }));
    const fake = tableModel(vocab.size, vocab.maskId, [row]);
    const trace = await runSamplerToEnd(fake, plan.runs[0].init, plan.runs[0].options);
    expect(trace.records.map((r) => r.committed)).toEqual([2, 2, 2]);
    expect(trace.final.slice(6)).toEqual(new Array(10).fill(EOS));
  });

  it('places a prompt and pinned words, and maps pins to token ids', () => {
    const plan = planRuns(
      config({ prompt: 'The cat', pins: [{ position: 4, word: 'on' }], length: 5 }),
      model,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.promptLength).toBe(2);
    expect(plan.runs[0].init.prompt).toEqual([vocab.id('the'), vocab.id('cat')]);
    expect(plan.runs[0].init.infill?.[0]).toEqual({ position: 4, token: vocab.id('on') });
    expect(plan.runs[0].init.infill).toHaveLength(1 + 16 - 7);
  });

  it('flags unknown words with suggestions, and [MASK] in the prompt', () => {
    const plan = planRuns(
      config({ prompt: 'the catt [mask]', pins: [{ position: 5, word: 'dgo' }] }),
      model,
    );
    expect(plan.runs).toEqual([]);
    expect(plan.promptUnknown).toEqual([
      { index: 1, word: 'catt', suggestions: ['cat', 'mat', 'sat'] },
    ]);
    expect(plan.pinUnknown[0]).toMatchObject({ position: 5, word: 'dgo' });
    expect(plan.pinUnknown[0].suggestions).toContain('dog');
    const fields = plan.problems.map((p) => p.field);
    expect(fields.filter((f) => f === 'prompt')).toHaveLength(2);
    expect(fields).toContain('pins');
  });

  it('explains block lengths that do not divide and steps that do not fit the blocks', () => {
    const bad = planRuns(
      config({ a: { strategy: 'llada.low_confidence', steps: 8, blockLength: 5 } }),
      model,
    );
    expect(bad.problems).toHaveLength(1);
    expect(bad.problems[0].field).toBe('a.blockLength');
    expect(bad.problems[0].message).toContain('possible: 1, 2, 4, 8, 16');

    const steps = planRuns(
      config({ a: { strategy: 'fastdllm.threshold', steps: 6, blockLength: 4 } }),
      model,
    );
    expect(steps.problems.map((p) => p.field)).toEqual(['a.steps']);
    expect(steps.problems[0].message).toContain('number of blocks, 4');

    // Non-block strategies ignore a stored block length instead of failing on it.
    const dream = planRuns(
      config({ a: { strategy: 'dream.entropy', steps: 6, blockLength: 5 } }),
      model,
    );
    expect(dream.problems).toEqual([]);
    expect(dream.runs[0].options.blockLength).toBeNull();
  });

  it('applies each newer sampler its own block rules and passes its knobs', () => {
    // LLaDA2's blocks start at position 0 and its last block may be cut: 5 does not divide 16.
    const llada2 = planRuns(
      config({ a: { strategy: 'llada2.threshold', steps: 3, blockLength: 5 }, threshold: 0.7 }),
      model,
    );
    expect(llada2.problems).toEqual([]);
    expect(llada2.runs[0].options).toMatchObject({ blockLength: 5, steps: 3, threshold: 0.7 });
    // The EB-Sampler splits its steps over prompt-aligned blocks, like LLaDA.
    const eb = planRuns(
      config({ a: { strategy: 'eb.entropy_bound', steps: 6, blockLength: 4 }, entropyBound: 0.5 }),
      model,
    );
    expect(eb.problems.map((p) => p.field)).toEqual(['a.steps']);
    // DUS's blocks must divide, its steps are not used.
    const dus = planRuns(
      config({
        a: { strategy: 'dus.dilated', steps: 7, blockLength: 4 },
        dusRemasking: 'low_confidence',
      }),
      model,
    );
    expect(dus.problems).toEqual([]);
    expect(dus.runs[0].options).toMatchObject({ dusRemasking: 'low_confidence', dusBase: 2 });
    expect(
      planRuns(config({ a: { strategy: 'dus.dilated', steps: 1, blockLength: 5 } }), model)
        .problems[0].field,
    ).toBe('a.blockLength');
    const edit = planRuns(
      config({ a: { strategy: 'llada21.edit', steps: 1, blockLength: 8 }, editThreshold: 1.5 }),
      model,
    );
    expect(edit.problems).toEqual([
      { field: 'editThreshold', message: 'Edit threshold must be in [0, 1], got 1.5.' },
    ]);
  });

  it("routes resolveOptions' errors to the control they are about; run B says so", () => {
    const plan = planRuns(
      config({
        topP: 1.5,
        sideBySide: true,
        b: { strategy: 'llada.random', steps: 0, blockLength: null },
      }),
      model,
    );
    expect(plan.problems.map((p) => p.field)).toEqual(['topP', 'b.steps']);
    expect(plan.problems[0].message).toBe('Top-p must be in (0, 1] or empty, got 1.5.');
    expect(plan.problems[1].message).toBe('Run B: Steps must be an integer ≥ 1, got 0.');
  });

  it('refuses a length outside the window and a fully pinned window', () => {
    expect(planRuns(config({ length: 17 }), model).problems[0].field).toBe('length');
    const full = planRuns(
      config({ prompt: 'the cat', length: 1, pins: [{ position: 2, word: 'sat' }] }),
      model,
    );
    expect(full.problems.map((p) => p.message)).toEqual([
      'Every position is pinned: leave at least one blank for the model to write.',
    ]);
  });

  it('plans run B from the same seed, prompt and pins', () => {
    const plan = planRuns(
      config({
        sideBySide: true,
        seed: 9,
        prompt: 'it',
        a: { strategy: 'article', steps: 5, blockLength: null },
        b: { strategy: 'llada.low_confidence', steps: 15, blockLength: 3 },
      }),
      model,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.runs.map((r) => [r.key, r.options.strategy, r.options.seed])).toEqual([
      ['a', 'article', 9],
      ['b', 'llada.low_confidence', 9],
    ]);
    expect(plan.runs[1].init).toEqual(plan.runs[0].init);
  });

  it('gives an autoregressive model only the typewriter, and the typewriter only to it', () => {
    const twin: PlanModel = { vocab, seqLen: 16, timeConditioned: false, kind: 'autoregressive' };
    const typewriter = { strategy: 'autoregressive', steps: 16, blockLength: null } as const;
    const ok = planRuns(config({ a: typewriter, prompt: 'the cat', length: 6 }), twin);
    expect(ok.problems).toEqual([]);
    expect(ok.runs[0].options).toMatchObject({
      strategy: 'autoregressive',
      eosId: EOS,
      timeInput: 'none',
    });

    const diffusionOnTwin = planRuns(config({ prompt: 'the cat' }), twin);
    expect(diffusionOnTwin.problems.map((p) => p.field)).toEqual(['a.strategy']);
    expect(diffusionOnTwin.problems[0].message).toContain('autoregressive model');

    const typewriterOnDiffusion = planRuns(config({ a: typewriter, prompt: 'the' }), {
      ...model,
      kind: 'masked-diffusion',
    });
    expect(typewriterOnDiffusion.problems.map((p) => p.field)).toEqual(['a.strategy']);
    expect(typewriterOnDiffusion.problems[0].message).toContain('masked-diffusion model');

    const noPrompt = planRuns(config({ a: typewriter }), twin);
    expect(noPrompt.problems.map((p) => p.field)).toEqual(['prompt']);
  });

  it('writes with the typewriter: one call per word, the [EOS] tail filled when it stops', async () => {
    const twin: PlanModel = { vocab, seqLen: 16, timeConditioned: false, kind: 'autoregressive' };
    const plan = planRuns(
      config({ a: { strategy: 'autoregressive', steps: 1, blockLength: null }, prompt: 'the' }),
      twin,
    );
    // The row at position i predicts position i + 1: the cat sat [EOS] …
    const next = ['cat', 'sat', '[EOS]'];
    const row = Array.from({ length: 16 }, (_, i) => ({
      token: vocab.id(next[Math.min(i, next.length - 1)]),
      prob: 0.9,
    }));
    const fake = tableModel(vocab.size, vocab.maskId, [row]);
    const trace = await runSamplerToEnd(fake, plan.runs[0].init, plan.runs[0].options);
    expect(fake.inputs).toHaveLength(3);
    expect(vocab.decode(trace.final)).toBe('the cat sat');
    expect(trace.final.slice(3)).toEqual(new Array(13).fill(EOS));
  });

  describe('a model with [MASK] alone (no [PAD], no [EOS])', () => {
    const words = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'it', 'is'];
    const maskOnly = new Vocabulary(['[MASK]', ...words], { special: { mask: 0 } });
    const m: PlanModel = { vocab: maskOnly, seqLen: 16, timeConditioned: true };

    it('writes the whole window: no tail, a prompt and pins need no padding', async () => {
      const plan = planRuns(config({ prompt: 'the cat', pins: [{ position: 9, word: 'mat' }] }), m);
      expect(plan.problems).toEqual([]);
      expect(plan.length).toBe(14);
      const [run] = plan.runs;
      expect(run.init.prompt).toEqual([1, 2]);
      expect(run.init.genLength).toBe(14);
      // Only the pin: no position is filled with an end token.
      expect(run.init.infill).toEqual([{ position: 9, token: 5 }]);
      const row = Array.from({ length: 16 }, (_, i) => ({ token: 1 + (i % 8), prob: 0.5 }));
      const trace = await runSamplerToEnd(
        tableModel(maskOnly.size, 0, [row]),
        run.init,
        run.options,
      );
      expect(trace.final).toHaveLength(16);
      expect(trace.final.filter((t) => t === 0)).toEqual([]);
    });

    it('says why Length cannot apply, and the typewriter writes to the end', async () => {
      const plan = planRuns(config({ length: 6 }), m);
      expect(plan.runs).toEqual([]);
      expect(plan.problems).toEqual([
        {
          field: 'length',
          message:
            'Length 6: this model has no [EOS] token to end a shorter text, so it writes the whole window (16 positions after the prompt). Leave Length empty.',
        },
      ]);
      const typewriter = planRuns(
        config({ prompt: 'the', a: { strategy: 'autoregressive', steps: 16, blockLength: null } }),
        { ...m, kind: 'autoregressive' },
      );
      expect(typewriter.problems).toEqual([]);
      expect(typewriter.runs[0].options.eosId).toBeNull();
    });
  });

  it('notes calls that cannot commit anything: more steps than positions to write', () => {
    const plan = planRuns(
      config({
        a: { strategy: 'article', steps: 100, blockLength: null },
        b: { strategy: 'remdm', steps: 100, blockLength: null },
        sideBySide: true,
        pins: [{ position: 3, word: 'cat' }],
      }),
      model,
    );
    expect(plan.problems).toEqual([]);
    expect(plan.runs).toHaveLength(2);
    // 16 positions, one pinned: 15 to write. ReMDM remasks, so its extra calls are not idle.
    expect(plan.notes).toEqual([
      {
        field: 'a.steps',
        message:
          '100 steps for 15 positions to write: at most 15 of the 100 model calls can commit a token, so at least 85 commit nothing (each still costs a model call).',
      },
    ]);
    expect(planRuns(config({ length: 4 }), model).notes[0].message).toMatch(
      /^16 steps for 4 positions to write: .* at least 12 commit nothing/,
    );
    expect(planRuns(config({}), model).notes).toEqual([]);
  });

  it('lists divisors', () => {
    expect(divisors(12)).toEqual([1, 2, 3, 4, 6, 12]);
  });
});

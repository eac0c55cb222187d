import { describe, expect, it } from 'vitest';
import { runSamplerToEnd, type LogitsModel } from '../driver';
import { randomModel, tableModel } from '../fakeModels.testutil';
import { STRATEGY_NAMES, usesBlocks, type SamplerOptions } from '../options';

const V = 12;
const MASK = 0;

describe('every strategy', () => {
  const init = {
    prompt: [3, 4],
    genLength: 8,
    infill: [
      { position: 5, token: 7 },
      { position: 8, token: 9 },
    ],
  };
  const pinnedPositions = [0, 1, 5, 8];
  for (const strategy of STRATEGY_NAMES) {
    for (const temperature of [0, 0.8]) {
      it(`${strategy} (τ=${temperature}) never changes pinned tokens and ends unmasked`, async () => {
        const options: SamplerOptions = {
          strategy,
          // EB gets a call per masked position in each block, so no block can run out of calls.
          steps: strategy === 'eb.entropy_bound' ? 8 : 4,
          temperature,
          // LLaDA2's blocks start at 0: 4, 4 and a last block cut to 2 in this window of 10.
          blockLength: usesBlocks(strategy) ? 4 : null,
          threshold: 0.5,
          remaskEta: 0.5,
          seed: 5,
        };
        const trace = await runSamplerToEnd(randomModel(V, 10, MASK, 1), init, options);
        for (const r of trace.records) {
          for (const i of pinnedPositions) {
            expect(r.status[i]).toBe('pinned');
            expect(r.candidate[i]).toBe(false);
            expect(r.after[i]).toBe(r.before[i]);
          }
        }
        expect(pinnedPositions.map((i) => trace.final[i])).toEqual([3, 4, 7, 9]);
        expect(trace.final.includes(MASK)).toBe(false);
        // Autoregressive decoding makes one call per masked position (6 here), not `steps`; DUS
        // one per dilated level, 2 blocks × 2 levels ({0, 2}, {1, 3}); the threshold, editing
        // and entropy-bound samplers as many as the model's confidences make them.
        const calls = trace.records.length;
        if (strategy === 'autoregressive') expect(calls).toBe(6);
        else if (strategy === 'dus.dilated') expect(calls).toBe(4);
        else if (
          !['fastdllm.threshold', 'llada2.threshold', 'llada21.edit', 'eb.entropy_bound'].includes(
            strategy,
          )
        )
          expect(calls).toBe(4);
      });
    }
  }
});

describe('llada blocks', () => {
  it('only commits inside the current block, block by block', async () => {
    const trace = await runSamplerToEnd(
      randomModel(V, 10, MASK, 2),
      { prompt: [5, 6], genLength: 8 },
      {
        strategy: 'llada.low_confidence',
        steps: 4,
        blockLength: 4,
      },
    );
    expect(trace.records.map((r) => r.block)).toEqual([0, 0, 1, 1]);
    expect(trace.records.map((r) => r.committed)).toEqual([2, 2, 2, 2]);
    for (const r of trace.records) {
      const lo = 2 + 4 * r.block;
      r.status.forEach((s, i) => {
        if (s === 'committed') expect(i >= lo && i < lo + 4).toBe(true);
      });
      // Later blocks are not candidates, even though they are masked.
      if (r.block === 0) expect(r.candidate.slice(6)).toEqual([false, false, false, false]);
    }
  });

  it('llada.random ranks by seeded uniform draws', async () => {
    const run = (seed: number) =>
      runSamplerToEnd(
        randomModel(V, 8, MASK, 3),
        { prompt: [], genLength: 8 },
        {
          strategy: 'llada.random',
          steps: 4,
          seed,
        },
      );
    const a = await run(1);
    expect((await run(1)).records[0].confidence).toEqual(a.records[0].confidence);
    expect((await run(2)).records[0].confidence).not.toEqual(a.records[0].confidence);
    for (const c of a.records[0].confidence) expect(c >= 0 && c < 1).toBe(true);
  });

  it('logitsEosInf never predicts EOS; confidenceEosEotInf ranks EOS last', async () => {
    const EOS = 2;
    // EOS is the surest word at positions 0 and 1.
    const row = [
      { token: EOS, prob: 0.99 },
      { token: EOS, prob: 0.98 },
      { token: 5, prob: 0.3 },
      { token: 6, prob: 0.2 },
    ];
    const model = () => tableModel(V, MASK, [row]);
    const init = { prompt: [], genLength: 4 };
    const plain = await runSamplerToEnd(model(), init, {
      strategy: 'llada.low_confidence',
      steps: 2,
    });
    expect(plain.records[0].after).toEqual([EOS, EOS, MASK, MASK]);
    const ranked = await runSamplerToEnd(model(), init, {
      strategy: 'llada.low_confidence',
      steps: 2,
      eosId: EOS,
      confidenceEosEotInf: true,
    });
    expect(ranked.records[0].after).toEqual([MASK, MASK, 5, 6]);
    expect(ranked.records[0].confidence.slice(0, 2)).toEqual([-Infinity, -Infinity]);
    const banned = await runSamplerToEnd(model(), init, {
      strategy: 'llada.low_confidence',
      steps: 2,
      eosId: EOS,
      logitsEosInf: true,
    });
    expect(banned.final.includes(EOS)).toBe(false);
  });
});

describe('fastdllm.threshold', () => {
  it('commits the best and every confidence ≥ threshold, repeating until the block is done', async () => {
    const model = tableModel(V, MASK, [
      [
        { token: 5, prob: 0.95 },
        { token: 6, prob: 0.5 },
        { token: 7, prob: 0.91 },
        { token: 8, prob: 0.3 },
      ],
      [
        { token: 5, prob: 0.95 },
        { token: 6, prob: 0.6 },
        { token: 7, prob: 0.91 },
        { token: 8, prob: 0.7 },
      ],
    ]);
    const trace = await runSamplerToEnd(
      model,
      { prompt: [], genLength: 4 },
      {
        strategy: 'fastdllm.threshold',
        steps: 4,
        threshold: 0.9,
      },
    );
    // call 0: 0.95 and 0.91 pass; call 1: none pass, the best (0.7) alone; call 2: the rest.
    expect(trace.records.map((r) => r.committed)).toEqual([2, 1, 1]);
    expect(trace.records[1].after).toEqual([5, MASK, 7, 8]);
    expect(trace.final).toEqual([5, 6, 7, 8]);
  });

  it('stops a model that never makes progress', async () => {
    // With [MASK] allowed and always the surest prediction, nothing is ever unmasked.
    const never: LogitsModel = {
      vocabSize: V,
      seqLen: 1,
      maskId: MASK,
      logits: async () => Float64Array.from({ length: V }, (_, v) => (v === MASK ? 5 : 0)),
    };
    await expect(
      runSamplerToEnd(
        never,
        { prompt: [], genLength: 1 },
        {
          strategy: 'fastdllm.threshold',
          steps: 1,
          maskToken: 'allow',
          maxCalls: 20,
        },
      ),
    ).rejects.toThrow(/20 model calls/);
  });
});

describe('remdm', () => {
  it('remasks committed tokens along the way and still ends fully unmasked', async () => {
    let remasked = 0;
    for (let seed = 0; seed < 5; seed++) {
      const trace = await runSamplerToEnd(
        randomModel(V, 12, MASK, 10 + seed),
        { prompt: [1], genLength: 11 },
        {
          strategy: 'remdm',
          steps: 10,
          remaskSchedule: 'rescale',
          remaskEta: 1,
          seed,
        },
      );
      for (const r of trace.records) {
        remasked += r.remasked;
        r.status.forEach((s, i) => {
          if (s === 'remasked') {
            expect(r.before[i]).not.toBe(MASK);
            expect(r.after[i]).toBe(MASK);
            expect(i).not.toBe(0);
          }
        });
      }
      expect(trace.records.at(-1)?.remasked).toBe(0);
      expect(trace.final.includes(MASK)).toBe(false);
    }
    expect(remasked).toBeGreaterThan(0);
  });

  it('with η = 0 follows the plain even split', async () => {
    const trace = await runSamplerToEnd(
      randomModel(V, 12, MASK, 4),
      { prompt: [], genLength: 12 },
      {
        strategy: 'remdm',
        steps: 5,
        remaskEta: 0,
      },
    );
    expect(trace.records.map((r) => r.committed)).toEqual([3, 3, 2, 2, 2]);
    expect(trace.records.map((r) => r.t)).toEqual([1, 0.8, 0.6, 0.4, 0.2].map(Math.fround));
  });

  it('keeps the mask count on the schedule after remasking', async () => {
    const trace = await runSamplerToEnd(
      randomModel(V, 12, MASK, 6),
      { prompt: [], genLength: 12 },
      {
        strategy: 'remdm',
        steps: 5,
        remaskEta: 0.5,
        seed: 3,
      },
    );
    const targets = [9, 6, 4, 2, 0];
    trace.records.forEach((r, k) => {
      const masked = r.after.filter((t) => t === MASK).length;
      expect(masked).toBeGreaterThanOrEqual(targets[k]);
      // only a remask larger than the whole masked pool can leave it above target
      if (r.committed < r.before.filter((t) => t === MASK).length) expect(masked).toBe(targets[k]);
    });
  });
});

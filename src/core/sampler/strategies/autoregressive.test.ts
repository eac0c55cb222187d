import { describe, expect, it } from 'vitest';
import { runSamplerToEnd, traceFromLogits, type LogitsModel } from '../driver';
import type { SamplerOptions } from '../options';

const V = 8;
const MASK = 0;
const EOS = 2;
const A = 3;
const B = 4;
const C = 5;
const D = 6;

/**
 * A hand-built causal bigram model: the logits at position i depend only on tokens[i] (so only on
 * positions ≤ i) and give the next token. `next[token]` is a list of (token, probability); the
 * remaining mass is spread over the other non-mask tokens. A [MASK] input gives a flat row.
 * It records every input, so tests can see what each call was shown.
 */
function bigramModel(
  seqLen: number,
  next: Record<number, readonly (readonly [number, number])[]>,
): LogitsModel & { inputs: number[][] } {
  const inputs: number[][] = [];
  return {
    vocabSize: V,
    seqLen,
    maskId: MASK,
    inputs,
    async logits(tokens) {
      inputs.push(Array.from(tokens));
      const out = new Float64Array(tokens.length * V);
      tokens.forEach((token, i) => {
        const listed = next[token] ?? [];
        const listedMass = listed.reduce((s, [, p]) => s + p, 0);
        const others = V - 1 - listed.length;
        for (let v = 0; v < V; v++) {
          const p =
            v === MASK
              ? 0
              : (listed.find(([t]) => t === v)?.[1] ?? (1 - listedMass) / Math.max(1, others));
          out[i * V + v] = token === MASK ? 0 : Math.log(p);
        }
      });
      return out;
    },
  };
}

const chain = {
  [A]: [[B, 0.9]],
  [B]: [[C, 0.8]],
  [C]: [[EOS, 0.7]],
  [EOS]: [[EOS, 0.99]],
} as const;
const greedy: SamplerOptions = { strategy: 'autoregressive', steps: 1, eosId: EOS };

describe('autoregressive decoding', () => {
  it('writes left to right from the logits one place to the left, one call per token, and stops at [EOS]', async () => {
    const model = bigramModel(8, chain);
    const trace = await runSamplerToEnd(model, { prompt: [A], genLength: 7 }, greedy);
    expect(trace.final).toEqual([A, B, C, EOS, EOS, EOS, EOS, EOS]);
    // B, C and the [EOS]: three tokens written, three model calls.
    expect(model.inputs.length).toBe(3);
    expect(trace.records.map((r) => r.committed)).toEqual([1, 1, 5]);
    expect(model.inputs[1]).toEqual([A, B, MASK, MASK, MASK, MASK, MASK, MASK]);
    // The only candidate is the leftmost masked position.
    expect(trace.records.map((r) => r.candidate.indexOf(true))).toEqual([1, 2, 3]);
    expect(trace.records.map((r) => r.candidate.filter(Boolean).length)).toEqual([1, 1, 1]);
    // The prediction at position 1 is the model's next-token distribution at position 0 (A → B, 0.9).
    expect(trace.records[0].prediction[1]).toBe(B);
    expect(trace.records[0].confidence[1]).toBeCloseTo(0.9, 12);
    expect(trace.records[0].topK[1][0]).toEqual({ token: B, prob: expect.closeTo(0.9, 12) });
  });

  it('shows the [EOS] tail as committed with the [EOS] it follows from', async () => {
    const trace = await runSamplerToEnd(
      bigramModel(6, chain),
      { prompt: [A], genLength: 5 },
      greedy,
    );
    const last = trace.records[trace.records.length - 1];
    expect(last.status).toEqual(['pinned', 'kept', 'kept', 'committed', 'committed', 'committed']);
    expect(last.prediction.slice(3)).toEqual([EOS, EOS, EOS]);
    expect(last.confidence.slice(3).map((c) => +c.toFixed(12))).toEqual([0.7, 0.7, 0.7]);
    expect(last.candidate).toEqual([false, false, false, true, false, false]);
  });

  it('writes every masked position when no eosId is given', async () => {
    const model = bigramModel(6, chain);
    const trace = await runSamplerToEnd(
      model,
      { prompt: [A], genLength: 5 },
      { strategy: 'autoregressive', steps: 1 },
    );
    expect(trace.final).toEqual([A, B, C, EOS, EOS, EOS]);
    expect(model.inputs.length).toBe(5);
  });

  it('skips pinned positions and continues from them', async () => {
    // D is pinned at position 2, so position 3 is read from D's row (D → A).
    const model = bigramModel(6, { ...chain, [D]: [[A, 0.95]] });
    const trace = await runSamplerToEnd(
      model,
      { prompt: [A], genLength: 5, infill: [{ position: 2, token: D }] },
      greedy,
    );
    expect(trace.final).toEqual([A, B, D, A, B, C]);
    expect(trace.records.map((r) => r.candidate.indexOf(true))).toEqual([1, 3, 4, 5]);
    expect(trace.records.every((r) => r.after[2] === D && r.status[2] === 'pinned')).toBe(true);
  });

  it('keeps pinned words after an [EOS] where they are', async () => {
    const trace = await runSamplerToEnd(
      bigramModel(7, chain),
      { prompt: [A], genLength: 6, infill: [{ position: 5, token: D }] },
      greedy,
    );
    expect(trace.final).toEqual([A, B, C, EOS, EOS, D, EOS]);
    expect(trace.records.length).toBe(3);
  });

  it('refuses a window whose first position is not given', async () => {
    await expect(
      runSamplerToEnd(bigramModel(4, chain), { prompt: [], genLength: 4 }, greedy),
    ).rejects.toThrow(/first position given/);
  });

  it('samples from the shifted row: frequencies follow softmax(logits / τ), top-k and top-p cut it', async () => {
    // After A: B with 0.7, C with 0.3 (nothing else).
    const model = bigramModel(2, {
      [A]: [
        [B, 0.7],
        [C, 0.3],
      ],
    });
    const draw = async (options: Partial<SamplerOptions>, seeds: number) => {
      let b = 0;
      for (let seed = 0; seed < seeds; seed++) {
        const trace = await runSamplerToEnd(
          model,
          { prompt: [A], genLength: 1 },
          { strategy: 'autoregressive', steps: 1, seed, ...options },
        );
        if (trace.final[1] === B) b++;
        else expect(trace.final[1]).toBe(C);
      }
      return b / seeds;
    };
    // τ = 1: 0.7; τ = 0.5: 0.7² / (0.7² + 0.3²) = 0.845; binomial sd over 2000 draws ≈ 0.01.
    expect(Math.abs((await draw({ temperature: 1 }, 2000)) - 0.7)).toBeLessThan(0.035);
    expect(Math.abs((await draw({ temperature: 0.5 }, 2000)) - 0.845)).toBeLessThan(0.03);
    expect(await draw({ temperature: 3, topK: 1 }, 200)).toBe(1);
    // Top-p acts on the tempered distribution: at τ = 3 it is 0.57 / 0.43, so 0.5 keeps B alone.
    expect(await draw({ temperature: 3, topP: 0.5 }, 200)).toBe(1);
    expect(await draw({ temperature: 3, topP: 0.6 }, 200)).toBeLessThan(1);
  });

  it('replays from its recorded logits and seed', async () => {
    const model = bigramModel(6, {
      [A]: [
        [B, 0.5],
        [C, 0.4],
      ],
      [B]: [[A, 0.5]],
      [C]: [[EOS, 0.5]],
    });
    const options: SamplerOptions = {
      strategy: 'autoregressive',
      steps: 1,
      temperature: 1,
      seed: 7,
      eosId: EOS,
    };
    const init = { prompt: [A], genLength: 5 };
    const run = await runSamplerToEnd(model, init, options);
    const logits = await Promise.all(
      run.records.map((r) => model.logits(Int32Array.from(r.before), 1)),
    );
    expect(traceFromLogits(init, options, V, MASK, logits).records).toEqual(run.records);
  });
});

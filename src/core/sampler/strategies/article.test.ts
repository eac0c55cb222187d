import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from '../driver';
import { tableModel } from '../fakeModels.testutil';

// [MASK]=0, then the words of the article's example.
const WORDS = ['[MASK]', 'It', 'is', 'a', 'way', 'to', 'compute', 'the'];
const FINAL = [1, 2, 3, 4, 5, 6]; // "It is a way to compute"
const row = (probs: number[]) => probs.map((prob, i) => ({ token: FINAL[i], prob }));

describe("the article's generate", () => {
  it('reproduces the worked table: 6 tokens, 3 steps → 2, 2, 2', async () => {
    const model = tableModel(WORDS.length, 0, [
      row([0.92, 0.35, 0.88, 0.41, 0.29, 0.33]),
      row([0.92, 0.45, 0.88, 0.78, 0.81, 0.52]),
      row([0.9, 0.6, 0.9, 0.9, 0.9, 0.6]),
    ]);
    const trace = await runSamplerToEnd(
      model,
      { prompt: [], genLength: 6 },
      {
        strategy: 'article',
        steps: 3,
        temperature: 0,
      },
    );
    const committedAt = (k: number) =>
      trace.records[k].status.flatMap((s, i) =>
        s === 'committed' ? [WORDS[trace.records[k].after[i]]] : [],
      );
    expect(trace.records.map((r) => r.committed)).toEqual([2, 2, 2]);
    expect(committedAt(0)).toEqual(['It', 'a']);
    expect(committedAt(1)).toEqual(['way', 'to']);
    expect(committedAt(2)).toEqual(['is', 'compute']);
    expect(trace.final.map((t) => WORDS[t]).join(' ')).toBe('It is a way to compute');
    // The guesses that were not kept are shown as remasked, as the article describes.
    expect(trace.records[0].status).toEqual([
      'committed',
      'remasked',
      'committed',
      'remasked',
      'remasked',
      'remasked',
    ]);
    expect(trace.records[0].remasked).toBe(4);
    // Confidences are the table's (probability of the predicted token).
    trace.records[0].confidence.forEach((c, i) =>
      expect(c).toBeCloseTo([0.92, 0.35, 0.88, 0.41, 0.29, 0.33][i], 12),
    );
    // t = s/S for s = 3, 2, 1, passed to the model as float32.
    expect(model.times).toEqual([1, Math.fround(2 / 3), Math.fround(1 / 3)]);
  });

  it('samples with temperature and a seed, reproducibly', async () => {
    const rows = [row([0.5, 0.5, 0.5, 0.5, 0.5, 0.5])];
    const run = (seed: number) =>
      runSamplerToEnd(
        tableModel(WORDS.length, 0, rows),
        { prompt: [], genLength: 6 },
        {
          strategy: 'article',
          steps: 3,
          seed,
        },
      );
    const a = await run(1);
    const b = await run(1);
    expect(a.final).toEqual(b.final);
    const finals = new Set<string>();
    for (let seed = 0; seed < 10; seed++) finals.add((await run(seed)).final.join());
    expect(finals.size).toBeGreaterThan(1); // at temperature 1 the half-probability words vary
  });
});

import { describe, expect, it } from 'vitest';
import { runSamplerToEnd, type LogitsModel } from './driver';
import { randomModel } from './fakeModels.testutil';
import { LogitsCache, logitsKey, withLogitsCache } from './logitsCache';

/** randomModel with a count of the calls that reached it and the t of each. */
function counted(model: LogitsModel) {
  const seen = { calls: 0, times: [] as (number | null)[] };
  const wrapped: LogitsModel = {
    ...model,
    async logits(tokens, batch, t) {
      seen.calls++;
      seen.times.push(t ? t[0] : null);
      return model.logits(tokens, batch, t);
    },
  };
  return { model: wrapped, seen };
}

const init = { prompt: [3], genLength: 7 };
const options = { strategy: 'llada.low_confidence' as const, steps: 7, temperature: 0, seed: 1 };

describe('the logits cache', () => {
  it('keys on every token and on the float32 bits of t', () => {
    expect(logitsKey([1, 2, 3], Float32Array.of(0.5))).toBe(logitsKey([1, 2, 3], [0.5]));
    expect(logitsKey([1, 2, 3], [0.5])).not.toBe(logitsKey([1, 2, 4], [0.5]));
    expect(logitsKey([1, 2, 3], [0.5])).not.toBe(logitsKey([1, 2, 3], [0.25]));
    // 0.1 and its float32 rounding are the same input to the model.
    expect(logitsKey([1], [0.1])).toBe(logitsKey([1], Float32Array.of(0.1)));
    expect(logitsKey([1], undefined)).toBe(logitsKey([1], null));
    expect(logitsKey([1], undefined)).not.toBe(logitsKey([1], [0]));
    expect(logitsKey([12, 3], [1])).not.toBe(logitsKey([1, 23], [1]));
  });

  it('a run filled in makes no model call when it is run again through the cache', async () => {
    const { model, seen } = counted(randomModel(12, 8, 0, 7));
    const cache = new LogitsCache();
    const fill = withLogitsCache(model, cache, 'fill');
    const first = await runSamplerToEnd(fill, init, options);
    expect(seen.calls).toBe(7);
    expect(fill.calls).toBe(7);
    expect(cache.size).toBe(7);

    // 'fill' always calls the model, even for inputs it holds.
    await runSamplerToEnd(fill, init, options);
    expect(seen.calls).toBe(14);

    const use = withLogitsCache(model, cache, 'use');
    const again = await runSamplerToEnd(use, init, options);
    expect(seen.calls).toBe(14);
    expect(use.calls).toBe(0);
    expect(use.reused).toBe(7);
    expect(again.records).toEqual(first.records);

    // Another schedule: its first input (all masks, t = 1) is the same, the rest is not.
    const other = withLogitsCache(model, cache, 'use');
    const trace = await runSamplerToEnd(other, init, { ...options, steps: 1 });
    expect(trace.records).toHaveLength(1);
    expect(other.reused).toBe(1);
    expect(other.calls).toBe(0);
  });

  it('answers copies, so a caller that changes or transfers the logits cannot spoil it', async () => {
    const { model, seen } = counted(randomModel(5, 4, 0, 2));
    const cache = new LogitsCache();
    const use = withLogitsCache(model, cache, 'use');
    const input = Int32Array.of(0, 0, 0, 0);
    const a = await use.logits(input, 1, Float32Array.of(1));
    const keep = a.slice();
    a.fill(0);
    const b = await use.logits(input, 1, Float32Array.of(1));
    expect(Array.from(b)).toEqual(Array.from(keep));
    expect(seen.calls).toBe(1);
    expect(use.lastReused).toBe(true);
    // A batch of 2 is never kept or read.
    await use.logits(new Int32Array(8), 2);
    await use.logits(new Int32Array(8), 2);
    expect(seen.calls).toBe(3);
    expect(cache.size).toBe(1);
  });

  it('evicts the least recently used entries beyond its size', async () => {
    const { model, seen } = counted(randomModel(5, 4, 0, 2));
    // Float32 logits of 4 × 5: 80 bytes each; room for two.
    const cache = new LogitsCache(160);
    const use = withLogitsCache(model, cache, 'use');
    const x = (k: number) => Int32Array.of(k, 0, 0, 0);
    await use.logits(x(1), 1);
    await use.logits(x(2), 1);
    await use.logits(x(1), 1); // a hit: 1 becomes the most recent
    await use.logits(x(3), 1); // evicts 2
    expect(seen.calls).toBe(3);
    await use.logits(x(1), 1);
    expect(seen.calls).toBe(3);
    await use.logits(x(2), 1);
    expect(seen.calls).toBe(4);
    expect(cache.size).toBe(2);
    cache.clear();
    await use.logits(x(1), 1);
    expect(seen.calls).toBe(5);
  });
});

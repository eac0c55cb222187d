import { describe, expect, it } from 'vitest';
import { runSampler, runSamplerToEnd, traceFromLogits, type LogitsModel } from './driver';
import { randomModel } from './fakeModels.testutil';
import type { SamplerOptions } from './options';

const V = 10;

/** Wraps a model and keeps every logits array it returned. */
function recording(
  model: LogitsModel,
): LogitsModel & { recorded: (Float32Array | Float64Array)[] } {
  const recorded: (Float32Array | Float64Array)[] = [];
  return {
    vocabSize: model.vocabSize,
    seqLen: model.seqLen,
    maskId: model.maskId,
    acceptsPrefix: model.acceptsPrefix,
    recorded,
    async logits(tokens, batch, t) {
      const out = await model.logits(tokens, batch, t);
      recorded.push(out.slice());
      return out;
    },
  };
}

describe('driver', () => {
  const init = { prompt: [4, 5], genLength: 6 };
  const cases: SamplerOptions[] = [
    { strategy: 'llada.random', steps: 6, blockLength: 3, temperature: 0.7, seed: 9 },
    { strategy: 'remdm', steps: 5, temperature: 1, topK: 4, topP: 0.9, seed: 2 },
    { strategy: 'fastdllm.threshold', steps: 2, threshold: 0.3 },
    // Prefix calls on a fixed-window model: the whole window's logits are recorded.
    { strategy: 'llada2.threshold', steps: 3, blockLength: 3, threshold: 0.3, temperature: 0.5 },
    { strategy: 'llada21.edit', steps: 1, blockLength: 4, threshold: 0.2, editThreshold: 0.3 },
    { strategy: 'eb.entropy_bound', steps: 4, blockLength: 3, entropyBound: 1.5 },
    { strategy: 'dus.dilated', steps: 1, blockLength: 6, dusRemasking: 'low_confidence' },
  ];
  for (const options of cases) {
    it(`${options.strategy}: a trace rebuilds from its recorded logits without a model`, async () => {
      const model = recording(randomModel(V, 8, 0, 17));
      const trace = await runSamplerToEnd(model, init, options);
      const replayed = traceFromLogits(init, options, V, 0, model.recorded);
      expect(replayed).toEqual(trace);
      expect(() => traceFromLogits(init, options, V, 0, model.recorded.slice(0, -1))).toThrow(
        /the sampler needs more/,
      );
      expect(() =>
        traceFromLogits(init, options, V, 0, [...model.recorded, model.recorded[0]]),
      ).toThrow(/the sampler finished/);
    });
  }

  it('rebuilds a prefix-call trace from the prefix rows a shorter-input model returned', async () => {
    const options: SamplerOptions = { strategy: 'llada2.threshold', steps: 2, blockLength: 4 };
    const model = recording({ ...randomModel(V, 8, 0, 4), acceptsPrefix: true });
    const trace = await runSamplerToEnd(model, init, options);
    expect(model.recorded.map((l) => l.length / V)).toEqual(
      trace.records.map((r) => r.inputLength),
    );
    expect(model.recorded[0].length).toBe(4 * V);
    expect(traceFromLogits(init, options, V, 0, model.recorded)).toEqual(trace);
  });

  it('yields one record per model call and returns the trace', async () => {
    const seen: number[] = [];
    const run = runSampler(randomModel(V, 8, 0, 1), init, {
      strategy: 'dream.topk_margin',
      steps: 4,
    });
    let next = await run.next();
    while (!next.done) {
      seen.push(next.value.call);
      next = await run.next();
    }
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(next.value.records.map((r) => r.call)).toEqual(seen);
    expect(next.value.final).toEqual(next.value.records[3].after);
  });

  it('refuses a window that does not match the model', async () => {
    await expect(
      runSamplerToEnd(randomModel(V, 9, 0, 1), init, { strategy: 'article', steps: 2 }),
    ).rejects.toThrow(/seqLen 9/);
  });
});

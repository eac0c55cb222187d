import { describe, expect, it } from 'vitest';
import {
  branchStart,
  LogitsCache,
  resolveOptions,
  runSamplerToEnd,
  type SamplerOptions,
  type TraceRecord,
} from '../core/sampler';
import { randomModel } from '../core/sampler/fakeModels.testutil';
import { SamplingJobs } from './samplingJobs';
import { SerialQueue } from './serialQueue';

const V = 9;
const L = 8;
const MASK = 0;
const init = { prompt: [3], genLength: 7 };
const options: SamplerOptions = {
  strategy: 'llada.low_confidence',
  steps: 7,
  temperature: 0.8,
  seed: 5,
};

describe('SamplingJobs', () => {
  it('reports one record per model call and ends with the same trace as the plain driver', async () => {
    const model = randomModel(V, L, MASK, 11);
    const seen: { record: TraceRecord; calls: number }[] = [];
    const jobs = new SamplingJobs(new SerialQueue());
    const done = await jobs.run(1, model, init, options, (record, { ms, stepMs, calls }) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(stepMs).toBeGreaterThanOrEqual(ms);
      seen.push({ record, calls });
    });
    const expected = await runSamplerToEnd(model, init, options);
    expect(done?.trace).toEqual(expected);
    expect(done?.calls).toBe(7);
    expect(seen.map((s) => s.calls)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(seen.map((s) => s.record)).toEqual(expected.records);
  });

  it('interleaves two jobs call by call and never overlaps model calls', async () => {
    const inner = randomModel(V, L, MASK, 2);
    let active = 0;
    let most = 0;
    const order: string[] = [];
    const model = (name: string) => ({
      ...inner,
      async logits(tokens: Int32Array, batch: number, t?: Float32Array) {
        active++;
        most = Math.max(most, active);
        order.push(name);
        await new Promise((r) => setTimeout(r, 1));
        active--;
        return (await inner.logits(tokens, batch, t)) as Float32Array;
      },
    });
    const jobs = new SamplingJobs(new SerialQueue());
    const noop = () => {};
    const [a, b] = await Promise.all([
      jobs.run(1, model('a'), init, options, noop),
      jobs.run(2, model('b'), init, { ...options, steps: 7, seed: 6 }, noop),
    ]);
    expect(a?.calls).toBe(7);
    expect(b?.calls).toBe(7);
    expect(most).toBe(1);
    // Neither run waits for the other to finish: their calls alternate.
    expect(order.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
  });

  it('stops a cancelled job after its current call and returns null', async () => {
    const model = randomModel(V, L, MASK, 3);
    const jobs = new SamplingJobs(new SerialQueue());
    let records = 0;
    const result = await jobs.run(4, model, init, options, () => {
      records++;
      if (records === 2) jobs.cancel(4);
    });
    expect(result).toBeNull();
    expect(records).toBe(2);
  });

  it('a job cancelled while its call waits in the queue makes no further model call', async () => {
    const inner = randomModel(V, L, MASK, 4);
    let modelCalls = 0;
    const model = {
      ...inner,
      async logits(tokens: Int32Array, batch: number, t?: Float32Array) {
        modelCalls++;
        return (await inner.logits(tokens, batch, t)) as Float32Array;
      },
    };
    const serial = new SerialQueue();
    const jobs = new SamplingJobs(serial);
    // Something else (a model load) holds the session; the job's first call queues behind it.
    let release!: () => void;
    const held = serial.run(() => new Promise<void>((r) => (release = r)));
    const result = jobs.run(9, model, init, options, () => {});
    await new Promise((r) => setTimeout(r, 5));
    jobs.cancel(9);
    release();
    await held;
    expect(await result).toBeNull();
    expect(modelCalls).toBe(0);
  });
});

describe('SamplingJobs with the logits cache', () => {
  it('a job that fills the cache calls the model every time; one that uses it calls it for no input twice', async () => {
    const inner = randomModel(V, L, MASK, 8);
    let modelCalls = 0;
    const model = {
      ...inner,
      async logits(tokens: Int32Array, batch: number, t?: Float32Array) {
        modelCalls++;
        return (await inner.logits(tokens, batch, t)) as Float32Array;
      },
    };
    const greedy = { ...options, temperature: 0 };
    const cache = new LogitsCache();
    const jobs = new SamplingJobs(new SerialQueue());
    const noop = () => {};
    const first = await jobs.run(1, model, init, greedy, noop, { cache, mode: 'fill' });
    expect(first?.calls).toBe(7);
    const again = await jobs.run(2, model, init, greedy, noop, { cache, mode: 'fill' });
    expect(again?.calls).toBe(7);
    expect(modelCalls).toBe(14);

    // A branch after call 3 with the same knobs, run from its state: every record reused.
    const o = resolveOptions(greedy);
    const start = branchStart(
      { ...first!.trace, records: first!.trace.records },
      3,
      o,
      [],
      'continue',
    );
    const timings: { reused: boolean; ms: number; calls: number }[] = [];
    const branch = await jobs.run(
      3,
      model,
      { state: start.state, callOffset: start.callOffset },
      o,
      (_, t) => timings.push(t),
      { cache, mode: 'use' },
    );
    expect(modelCalls).toBe(14);
    expect(branch?.calls).toBe(0);
    expect(timings.map((t) => t.reused)).toEqual([true, true, true, true]);
    expect(timings.every((t) => t.ms === 0 && t.calls === 0)).toBe(true);
    expect(branch?.trace.records).toEqual(first!.trace.records.slice(3));
  });
});

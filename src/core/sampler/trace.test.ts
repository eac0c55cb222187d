import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from './driver';
import { randomModel } from './fakeModels.testutil';
import { parseTrace } from './parseTrace';
import { serializeTrace, type SamplerTrace } from './trace';

async function sampleTrace(): Promise<SamplerTrace> {
  // confidenceEosEotInf makes some confidences −∞, which JSON has to carry as null.
  return runSamplerToEnd(
    randomModel(8, 7, 0, 5, 1),
    { prompt: [3], genLength: 6, infill: [{ position: 4, token: 2 }] },
    {
      strategy: 'llada.low_confidence',
      steps: 6,
      blockLength: 3,
      eosId: 1,
      confidenceEosEotInf: true,
      traceTopK: 3,
    },
  );
}

describe('trace JSON', () => {
  it('round-trips through serializeTrace and parseTrace', async () => {
    const trace = await sampleTrace();
    expect(trace.records.some((r) => r.confidence.includes(-Infinity))).toBe(true);
    const text = serializeTrace(trace);
    const parsed = parseTrace(text);
    expect(parsed).toEqual({ ok: true, trace });
    expect(JSON.parse(text).records[0].before).toBeInstanceOf(Array);
  });

  it('names what is wrong in a damaged trace', async () => {
    const good = JSON.parse(serializeTrace(await sampleTrace()));
    const broken = (edit: (t: typeof good) => void) => {
      const t = structuredClone(good);
      edit(t);
      const r = parseTrace(t);
      return r.ok ? [] : r.errors;
    };
    expect(broken((t) => (t.schema = 'other/1'))[0]).toMatch(/schema/);
    expect(broken((t) => (t.records[2].after[0] = 5)).join()).toMatch(
      /records\[2\]\.after\[0\]: a pinned token changed/,
    );
    expect(broken((t) => (t.records[1].status[6] = 'kept')).join()).toMatch(
      /records\[1\]\.status\[6\]/,
    );
    expect(broken((t) => t.records[3].prediction.pop()).join()).toMatch(
      /records\[3\]\.prediction: expected 7 entries/,
    );
    expect(broken((t) => (t.records[1].before[6] = 4)).join()).toMatch(
      /records\[1\]\.before\[6\]: does not continue/,
    );
    expect(broken((t) => (t.final[6] = 7)).join()).toMatch(/final/);
    expect(broken((t) => (t.options.strategy = 'nope')).join()).toMatch(
      /options: unknown strategy/,
    );
    expect(broken((t) => (t.records[0].topK[1][0].prob = 2)).join()).toMatch(
      /topK\[1\]\[0\]\.prob/,
    );
    expect(parseTrace('{').ok).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from './driver';
import { randomModel, tableModel } from './fakeModels.testutil';
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

/** A LLaDA2.1 run with prefix calls and edits (see strategies/llada21Edit.test.ts). */
async function editingTrace(): Promise<SamplerTrace> {
  const p = (token: number, prob: number) => ({ token, prob });
  const rows = [
    [p(1, 0.9), p(2, 0.95), p(3, 0.5), p(4, 0.3), p(2, 0.9), p(2, 0.9)],
    [p(1, 0.9), p(3, 0.95), p(3, 0.6), p(4, 0.3), p(2, 0.9), p(2, 0.9)],
    [p(1, 0.9), p(3, 0.5), p(3, 0.5), p(4, 0.3), p(2, 0.95), p(3, 0.9)],
  ];
  return runSamplerToEnd(
    tableModel(8, 0, rows),
    { prompt: [5], genLength: 5 },
    {
      strategy: 'llada21.edit',
      steps: 1,
      blockLength: 3,
      threshold: 0.8,
      editThreshold: 0.9,
      maxPostSteps: 0,
      traceTopK: 2,
    },
  );
}

describe('trace JSON of the newer samplers', () => {
  it('carries prefix lengths and edits through export and import', async () => {
    const trace = await editingTrace();
    expect(trace.records.map((r) => r.inputLength)).toEqual([3, 3, 6, 6]);
    expect(trace.records[1].status[1]).toBe('edited');
    expect(trace.records[1].edited).toBe(1);
    const text = serializeTrace(trace);
    expect(parseTrace(text)).toEqual({ ok: true, trace });
    expect(JSON.parse(text).records[1]).toMatchObject({ inputLength: 3, edited: 1 });
  });

  it('imports a trace written before inputLength and edited existed', async () => {
    const trace = await sampleTrace();
    const old = JSON.parse(serializeTrace(trace));
    for (const r of old.records) {
      delete r.inputLength;
      delete r.edited;
    }
    // Options of that time had none of the newer samplers' knobs either.
    for (const k of ['editThreshold', 'numToTransfer', 'maxPostSteps', 'entropyBound']) {
      delete old.options[k];
    }
    for (const k of ['dusBase', 'dusBaseSkip', 'dusRemasking', 'dusThreshold']) {
      delete old.options[k];
    }
    expect(parseTrace(old)).toEqual({ ok: true, trace });
    expect(trace.records.every((r) => r.inputLength === 7 && r.edited === 0)).toBe(true);
  });

  it('names what is wrong with an edit or a prefix length', async () => {
    const good = JSON.parse(serializeTrace(await editingTrace()));
    const broken = (edit: (t: typeof good) => void) => {
      const t = structuredClone(good);
      edit(t);
      const r = parseTrace(t);
      return r.ok ? [] : r.errors;
    };
    // An edit that did not change the token.
    expect(broken((t) => (t.records[0].status[4] = 'edited')).join()).toMatch(
      /records\[0\]\.status\[4\]: 'edited' does not match tokens 0 → 0/,
    );
    // A changed token called kept, and the edited count.
    expect(broken((t) => (t.records[1].status[1] = 'kept')).join()).toMatch(
      /records\[1\]\.after\[1\]: a kept token changed \(2 → 3\)/,
    );
    expect(broken((t) => (t.records[1].edited = 0)).join()).toMatch(
      /records\[1\]\.edited: is 0 but 1 positions have status edited/,
    );
    expect(broken((t) => (t.records[0].inputLength = 7)).join()).toMatch(
      /records\[0\]\.inputLength: expected an integer in \[1, 6\]/,
    );
    // An edit or a commit beyond what the model saw.
    expect(broken((t) => (t.records[1].inputLength = 1)).join()).toMatch(
      /records\[1\]\.status\[1\]: edited, but the model was given only 1 positions/,
    );
    expect(broken((t) => (t.records[2].inputLength = 3)).join()).toMatch(
      /records\[2\]\.status\[4\]: committed, but the model was given only 3 positions/,
    );
  });
});

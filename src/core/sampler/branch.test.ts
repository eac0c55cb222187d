import { describe, expect, it } from 'vitest';
import { branchStart, branchStartOf, branchTrace, type BranchSource } from './branch';
import { recordsFromLogits, runSamplerFrom, runSamplerToEnd, type LogitsModel } from './driver';
import { randomModel } from './fakeModels.testutil';
import { LogitsCache, logitsKey, withLogitsCache } from './logitsCache';
import { resolveOptions, type SamplerOptions } from './options';
import { parseTrace } from './parseTrace';
import type { Logits } from './softmax';
import { serializeTrace, type SamplerTrace, type TraceRecord } from './trace';
import { branchMode, optionsOfCall, type BranchPin, type TraceParent } from './traceLineage';

const V = 12;
const MASK = 0;
const L = 8;
const init = { prompt: [3], genLength: L - 1 };

/** The model every test calls, counting each input that reaches it. */
function countingModel() {
  const inner = randomModel(V, L, MASK, 11);
  const inputs: string[] = [];
  const outputs: Logits[] = [];
  const model: LogitsModel = {
    ...inner,
    async logits(tokens, batch, t) {
      inputs.push(logitsKey(tokens, t));
      const out = await inner.logits(tokens, batch, t);
      outputs.push(out.slice());
      return out;
    },
  };
  return { model, inputs, outputs };
}

const source = (trace: SamplerTrace): BranchSource => ({
  ...trace,
  pins: trace.lineage?.pins,
  earlier: trace.lineage?.earlier,
  ownFrom: trace.lineage?.parent?.atCall ?? 0,
});

async function drain(run: AsyncGenerator<TraceRecord, SamplerTrace>): Promise<TraceRecord[]> {
  const out: TraceRecord[] = [];
  for await (const r of run) out.push(r);
  return out;
}

/** Runs a branch of `parent` through the cache ('use'), as the app does, and composes its trace. */
async function branch(
  model: LogitsModel,
  cache: LogitsCache,
  parent: SamplerTrace,
  atCall: number,
  options: SamplerOptions,
  pins: BranchPin[] = [],
  id = 'child',
) {
  const o = resolveOptions(options);
  const mode = branchMode(parent.options, o);
  const start = branchStart(source(parent), atCall, o, pins, mode);
  const cached = withLogitsCache(model, cache, 'use');
  const own = await drain(runSamplerFrom(cached, start.state, o, start.callOffset));
  const ids: { id: string; parent: TraceParent } = {
    id,
    parent: { id: parent.lineage?.id ?? 'root', atCall, mode },
  };
  const trace = branchTrace(source(parent), o, start, own, ids);
  return { trace, own, start, cached, mode };
}

async function parentRun(options: SamplerOptions) {
  const counting = countingModel();
  const cache = new LogitsCache();
  const trace = await runSamplerToEnd(
    withLogitsCache(counting.model, cache, 'fill'),
    init,
    options,
  );
  return { ...counting, cache, trace: { ...trace, lineage: { id: 'root' } } };
}

const lladaGreedy: SamplerOptions = {
  strategy: 'llada.low_confidence',
  steps: 7,
  temperature: 0,
  seed: 3,
};

describe('rewind and branch', () => {
  it('with the parent’s knobs, a greedy branch repeats the parent’s calls without one model call', async () => {
    const p = await parentRun(lladaGreedy);
    expect(p.inputs).toHaveLength(7);
    const b = await branch(p.model, p.cache, p.trace, 3, lladaGreedy);
    expect(b.mode).toBe('continue');
    expect(b.own).toEqual(p.trace.records.slice(3));
    expect(b.own.map((r) => r.call)).toEqual([3, 4, 5, 6]);
    expect(b.cached.calls).toBe(0);
    expect(b.cached.reused).toBe(4);
    expect(p.inputs).toHaveLength(7);
    expect(b.trace.records).toEqual(p.trace.records);
  });

  it('continues the same sampler with other steps: its schedule and t go on where they were', async () => {
    const article: SamplerOptions = { strategy: 'article', steps: 7, temperature: 0, seed: 1 };
    const p = await parentRun(article);
    const b = await branch(p.model, p.cache, p.trace, 2, { ...article, steps: 5 });
    expect(b.mode).toBe('continue');
    // Calls 3, 4 and 5 of 5: s = 3, 2, 1, so t = 3/5, 2/5, 1/5, and ⌊masked / s⌋ commits. After
    // two calls of the parent (1 each, s = 7 and 6 of 7 masks), 5 masks are left: 1, 2, 2.
    expect(b.own.map((r) => r.call)).toEqual([2, 3, 4]);
    expect(b.own.map((r) => r.t)).toEqual([3, 2, 1].map((s) => Math.fround(s / 5)));
    expect(b.own.map((r) => r.committed)).toEqual([1, 2, 2]);
    expect(b.trace.final.includes(MASK)).toBe(false);
    // Fewer steps than calls already made: nothing to continue.
    expect(() =>
      branchStart(source(p.trace), 4, resolveOptions({ ...article, steps: 3 }), [], 'continue'),
    ).toThrow(/would have finished after 3 calls, before call 4/);
  });

  it('restarts another strategy on the window at the branch point; no input reaches the model twice', async () => {
    const p = await parentRun(lladaGreedy);
    const fast: SamplerOptions = {
      strategy: 'fastdllm.threshold',
      steps: 1,
      threshold: 0.3,
      temperature: 0,
      seed: 3,
    };
    const b = await branch(p.model, p.cache, p.trace, 3, fast);
    expect(b.mode).toBe('restart');
    expect(b.own[0].call).toBe(3);
    expect(b.own[0].before).toEqual(p.trace.records[2].after);
    // Fast-dLLM's t is the masked fraction, as LLaDA's: its first input is the parent's 4th.
    expect(b.own[0].t).toBe(p.trace.records[3].t);
    expect(b.cached.reused).toBeGreaterThanOrEqual(1);
    expect(b.cached.calls + b.cached.reused).toBe(b.own.length);
    expect(new Set(p.inputs).size).toBe(p.inputs.length);
    expect(p.inputs).toHaveLength(7 + b.cached.calls);
    expect(b.trace.final.includes(MASK)).toBe(false);
    // The records it kept are the parent's, so the tokens written before call 4 are unchanged.
    for (let i = 0; i < L; i++) {
      if (p.trace.records[2].after[i] !== MASK)
        expect(b.trace.final[i]).toBe(p.trace.records[2].after[i]);
    }
  });

  it('pins a word at the branch point; a branch of it keeps the word; both import and replay', async () => {
    const p = await parentRun(lladaGreedy);
    const masked = p.trace.records[2].after.findIndex((t, i) => i > 0 && t === MASK);
    const b = await branch(p.model, p.cache, p.trace, 3, lladaGreedy, [
      { position: masked, token: 9 },
    ]);
    expect(b.trace.records[3].before[masked]).toBe(9);
    expect(b.trace.records[3].status[masked]).toBe('pinned');
    expect(b.trace.final[masked]).toBe(9);
    expect(b.trace.lineage).toEqual({
      id: 'child',
      parent: { id: 'root', atCall: 3, mode: 'continue' },
      pins: [{ position: masked, token: 9, fromCall: 3 }],
      earlier: [{ fromCall: 0, options: p.trace.options }],
    });

    const parsed = parseTrace(serializeTrace(b.trace));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.trace).toEqual(b.trace);
    // Without its lineage the pinned word breaks the sequence: the field is what makes it valid.
    const bare = parseTrace(serializeTrace({ ...b.trace, lineage: undefined }));
    expect(bare.ok).toBe(false);
    if (!bare.ok) expect(bare.errors[0]).toMatch(/^records\[3\]\.before/);

    // A restart from the branch after the pin keeps it pinned; one before the pin does not have it.
    const later = await branch(
      p.model,
      p.cache,
      b.trace,
      5,
      { ...lladaGreedy, strategy: 'article', steps: 2 },
      [],
      'grandchild',
    );
    expect(later.trace.lineage?.pins).toEqual([{ position: masked, token: 9, fromCall: 3 }]);
    // Which options made which calls: the root's, the branch's from its call 4, then its own.
    expect(later.trace.lineage?.earlier).toEqual([
      { fromCall: 0, options: p.trace.options },
      { fromCall: 3, options: b.trace.options },
    ]);
    const made = (k: number) => optionsOfCall(later.trace.options, later.trace.lineage, k).strategy;
    expect([0, 2, 3, 4, 5, 6].map(made)).toEqual([
      'llada.low_confidence',
      'llada.low_confidence',
      'llada.low_confidence',
      'llada.low_confidence',
      'article',
      'article',
    ]);
    expect(later.own.every((r) => r.status[masked] === 'pinned')).toBe(true);
    expect(parseTrace(serializeTrace(later.trace)).ok).toBe(true);
    const earlier = await branch(p.model, p.cache, b.trace, 2, lladaGreedy, [], 'early');
    expect(earlier.trace.lineage?.pins).toBeUndefined();
    expect(earlier.trace.records).toEqual(p.trace.records);
    expect(parseTrace(serializeTrace(earlier.trace)).ok).toBe(true);

    // The branch's own calls replay from their logits and the trace alone.
    const model = countingModel();
    const own = await drain(
      runSamplerFrom(model.model, branchStartOf(b.trace).state, b.trace.options, 0),
    );
    expect(own).toEqual(b.own);
    const replayed = recordsFromLogits(
      branchStartOf(b.trace).state,
      b.trace.options,
      V,
      model.outputs,
    );
    expect(replayed).toEqual(b.own);
    const restarted = branchStartOf(later.trace);
    expect(restarted.callOffset).toBe(5);
    const again = recordsFromLogits(
      restarted.state,
      later.trace.options,
      V,
      await logitsOf(later.own),
      { callOffset: restarted.callOffset },
    );
    expect(again).toEqual(later.own);
  });

  it('says why a branch cannot start', async () => {
    const p = await parentRun(lladaGreedy);
    const o = resolveOptions(lladaGreedy);
    const s = source(p.trace);
    expect(() => branchStart(s, 8, o, [], 'continue')).toThrow(/no call 8/);
    expect(() => branchStart(s, 7, o, [], 'continue')).toThrow(/nothing is masked after call 7/);
    expect(() => branchStart(s, 1, o, [{ position: 0, token: 4 }], 'continue')).toThrow(
      /position 1 is not a written position/,
    );
    expect(() => branchStart(s, 1, o, [{ position: 5, token: MASK }], 'continue')).toThrow(
      /not a word of the vocabulary/,
    );
  });
});

/** The model's logits for each of a branch's own inputs (this model ignores t). */
async function logitsOf(own: readonly TraceRecord[]): Promise<Logits[]> {
  const model = randomModel(V, L, MASK, 11);
  return Promise.all(own.map((r) => model.logits(Int32Array.from(r.before), 1)));
}

describe('lineage in traces', () => {
  it('older traces without it import as they always did', async () => {
    const p = await parentRun(lladaGreedy);
    const { lineage: _none, ...old } = p.trace;
    void _none;
    const parsed = parseTrace(JSON.stringify(old));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect('lineage' in parsed.trace).toBe(false);
  });

  it('a broken lineage is refused with every problem named', async () => {
    const p = await parentRun(lladaGreedy);
    const bad = {
      ...JSON.parse(serializeTrace(p.trace)),
      lineage: {
        id: '',
        parent: { id: 'root', atCall: 9, mode: 'sideways' },
        pins: [
          { position: 0, token: 4, fromCall: 1 },
          { position: 3, token: MASK, fromCall: 7 },
        ],
        earlier: [{ fromCall: 0, options: { strategy: 'nope', steps: 2 } }],
      },
    };
    const parsed = parseTrace(bad);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.errors).toEqual([
        'lineage.id: expected a non-empty string (at most 200 characters)',
        'lineage.parent.atCall: expected an integer in [0, 7] (the records)',
        "lineage.parent.mode: expected 'continue' or 'restart', found \"sideways\"",
        'lineage.pins[0].position: 0 is not a written position of the window',
        'lineage.pins[1].token: expected a token id in [0, 12) other than the mask id',
        'lineage.pins[1].fromCall: expected a call with a record, in [0, 7)',
        "lineage.earlier[0].options: unknown strategy 'nope' (known: " +
          'llada.low_confidence, llada.random, fastdllm.threshold, dream.maskgit_plus, ' +
          'dream.topk_margin, dream.entropy, article, remdm, autoregressive, llada2.threshold, ' +
          'llada21.edit, eb.entropy_bound, dus.dilated, human)',
      ]);
    }
  });
});

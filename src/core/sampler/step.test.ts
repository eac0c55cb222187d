import { describe, expect, it } from 'vitest';
import { Rng } from '../rng';
import { tableLogits } from './fakeModels.testutil';
import { resolveOptions } from './options';
import { createInitialState } from './initialState';
import { step, timeForCall } from './step';

const V = 6;
const MASK = 0;
const logits = tableLogits(V, MASK, [
  { token: 1, prob: 0.9 }, // pinned position: prediction ignored
  { token: 2, prob: 0.6 },
  { token: 3, prob: 0.8 },
  { token: 4, prob: 0.7 },
]);

describe('step', () => {
  const options = resolveOptions({ strategy: 'llada.low_confidence', steps: 2 });
  const state = createInitialState({ prompt: [5], genLength: 3 }, MASK, options);

  it('commits the scheduled count by confidence and records every position', () => {
    const { state: next, record } = step(state, logits, options, new Rng(0));
    // 3 masks over 2 steps: 2 then 1. Positions 2 (0.8) and 3 (0.7) beat 1 (0.6).
    expect(state.blockSchedule).toEqual([2, 1]);
    expect(Array.from(next.tokens)).toEqual([5, MASK, 3, 4]);
    expect(Array.from(next.committedAt)).toEqual([-1, -1, 0, 0]);
    expect(record).toMatchObject({
      call: 0,
      block: 0,
      stepInBlock: 0,
      committed: 2,
      remasked: 0,
      before: [5, MASK, MASK, MASK],
      after: [5, MASK, 3, 4],
      prediction: [1, 2, 3, 4],
      candidate: [false, true, true, true],
      status: ['pinned', 'masked', 'committed', 'committed'],
    });
    expect(record.confidence[2]).toBeCloseTo(0.8, 12);
    expect(record.topK[1][0]).toEqual({ token: 2, prob: expect.closeTo(0.6, 12) });
    expect(record.topK[1]).toHaveLength(5);
    // t: LLaDA has no time schedule, so the masked fraction of the generated region, 3/3.
    expect(record.t).toBe(1);
    expect(next.call).toBe(1);
    expect(next.done).toBe(false);
  });

  it('does not mutate its input state', () => {
    const tokens = Array.from(state.tokens);
    step(state, logits, options, new Rng(0));
    expect(Array.from(state.tokens)).toEqual(tokens);
    expect(state.call).toBe(0);
  });

  it('is done after the last step and refuses another', () => {
    const a = step(state, logits, options, new Rng(0));
    const b = step(a.state, logits, options, new Rng(0));
    expect(b.record.status).toEqual(['pinned', 'committed', 'kept', 'kept']);
    expect(b.state.done).toBe(true);
    expect(() => step(b.state, logits, options, new Rng(0))).toThrow(/done/);
  });

  it('gives the same result for the same rng state', () => {
    const sampled = resolveOptions({ strategy: 'dream.maskgit_plus', steps: 2, temperature: 1.5 });
    const s0 = createInitialState({ prompt: [5], genLength: 3 }, MASK, sampled);
    const a = step(s0, logits, sampled, new Rng(42));
    const b = step(s0, logits, sampled, new Rng(42));
    expect(b.record).toEqual(a.record);
  });

  it('passes the nominal or the masked-fraction t as asked', () => {
    const dream = resolveOptions({ strategy: 'dream.entropy', steps: 4 });
    const s0 = createInitialState({ prompt: [], genLength: 4 }, MASK, dream);
    expect(timeForCall(s0, dream)).toBe(1);
    const s1 = step(
      s0,
      tableLogits(V, MASK, Array(4).fill({ token: 1, prob: 0.5 })),
      dream,
      new Rng(0),
    ).state;
    expect(timeForCall(s1, dream)).toBe(Math.fround(1 - 0.999 / 4));
    expect(timeForCall(s1, { ...dream, timeInput: 'none' })).toBeNull();
    // 4 · (1 − 0.75025) = 0.999 → nothing was committed, so 4 of 4 still masked.
    expect(timeForCall(s1, { ...dream, timeInput: 'maskedFraction' })).toBe(1);
  });

  it('rejects logits of the wrong size', () => {
    expect(() => step(state, new Float64Array(7), options, new Rng(0))).toThrow(/multiple/);
  });
});

describe('createInitialState', () => {
  const o = resolveOptions({ strategy: 'llada.low_confidence', steps: 4, blockLength: 4 });
  it('checks blocks and pins', () => {
    expect(() => createInitialState({ prompt: [], genLength: 6 }, MASK, o)).toThrow(
      /multiple of blockLength/,
    );
    expect(() => createInitialState({ prompt: [MASK], genLength: 4 }, MASK, o)).toThrow(/mask id/);
    expect(() =>
      createInitialState(
        { prompt: [1], genLength: 4, infill: [{ position: 0, token: 2 }] },
        MASK,
        o,
      ),
    ).toThrow(/outside the generated region/);
    const dream = resolveOptions({ strategy: 'dream.entropy', steps: 4, blockLength: 2 });
    expect(() => createInitialState({ prompt: [], genLength: 4 }, MASK, dream)).toThrow(
      /no blocks/,
    );
  });
  it('pins the prompt and the infill', () => {
    const s = createInitialState(
      { prompt: [1], genLength: 8, infill: [{ position: 3, token: 2 }] },
      MASK,
      o,
    );
    expect(Array.from(s.pinned)).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0]);
    expect(s.initialMasked).toBe(7);
    // Block 0 holds 3 masks (one is pinned) over 2 steps.
    expect(s.blockSchedule).toEqual([2, 1]);
  });
});

import { describe, expect, it } from 'vitest';
import { Rng } from '../../rng';
import { tableLogits } from '../fakeModels.testutil';
import { createInitialState } from '../initialState';
import { recordsFromLogits, traceFromLogits } from '../driver';
import { resolveOptions } from '../options';
import { parseTrace } from '../parseTrace';
import { step } from '../step';
import { serializeTrace } from '../trace';
import { choiceFromRecord } from './human';

const V = 12;
const MASK = 0;
const options = resolveOptions({ strategy: 'human', steps: 1, temperature: 0 });
const init = { prompt: [3], genLength: 5 };
// Call 1: the model is sure of 5 at position 2 (0.9) and 6 at position 4 (0.6); call 2 and 3 the
// rows for the window after them.
const rows = [
  [
    { token: 3, prob: 0.99 },
    { token: 4, prob: 0.3 },
    { token: 5, prob: 0.9 },
    { token: 8, prob: 0.2 },
    { token: 6, prob: 0.6 },
    { token: 9, prob: 0.5 },
  ],
  [
    { token: 3, prob: 0.99 },
    { token: 4, prob: 0.4 },
    { token: 5, prob: 0.9 },
    { token: 8, prob: 0.7 },
    { token: 6, prob: 0.6 },
    { token: 9, prob: 0.8 },
  ],
];
const logits = (k: number) => tableLogits(V, MASK, rows[Math.min(k, rows.length - 1)]);

describe('the human strategy (be the sampler)', () => {
  it('commits exactly the positions chosen, with the model’s predictions and confidences', () => {
    const start = createInitialState(init, MASK, options);
    const { state, record } = step(start, logits(0), options, new Rng(0), { commit: [4, 2] });
    expect(record.committed).toBe(2);
    expect(record.status).toEqual([
      'pinned',
      'masked',
      'committed',
      'masked',
      'committed',
      'masked',
    ]);
    expect(record.after).toEqual([3, MASK, 5, MASK, 6, MASK]);
    expect(record.confidence[2]).toBeCloseTo(0.9, 12);
    expect(record.confidence[4]).toBeCloseTo(0.6, 12);
    // Every masked position was a candidate; the prompt was not.
    expect(record.candidate).toEqual([false, true, true, true, true, true]);
    // No time schedule: t is the masked fraction of the written region (5 of 5).
    expect(record.t).toBe(1);
    expect(state.done).toBe(false);
    expect(state.call).toBe(1);
  });

  it('writes a typed word instead of the guess, with the model’s probability of that word', () => {
    const start = createInitialState(init, MASK, options);
    const { record } = step(start, logits(0), options, new Rng(0), {
      commit: [1],
      typed: [{ position: 1, token: 7 }],
    });
    expect(record.after[1]).toBe(7);
    // The trace keeps what the model guessed there.
    expect(record.prediction[1]).toBe(4);
    // Table logits: the guess has 0.3, the other V − 2 non-mask tokens share 0.7 evenly.
    expect(record.confidence[1]).toBeCloseTo(0.7 / (V - 2), 12);
    expect(record.status[1]).toBe('committed');
  });

  it('may commit nothing; is done when no mask is left', () => {
    let state = createInitialState(init, MASK, options);
    let r = step(state, logits(0), options, new Rng(0), { commit: [] });
    expect(r.record.committed).toBe(0);
    expect(r.record.after).toEqual(r.record.before);
    state = r.state;
    r = step(state, logits(1), options, new Rng(0), { commit: [1, 2, 3, 4, 5] });
    expect(r.state.done).toBe(true);
    expect(r.record.after).toEqual([3, 4, 5, 8, 6, 9]);
  });

  it('refuses a choice it cannot carry out, and a call without a choice', () => {
    const start = createInitialState(init, MASK, options);
    const rng = new Rng(0);
    expect(() => step(start, logits(0), options, rng, { commit: [0] })).toThrow(/not masked/);
    expect(() =>
      step(start, logits(0), options, rng, { commit: [], typed: [{ position: 2, token: 5 }] }),
    ).toThrow(/must also be committed/);
    expect(() =>
      step(start, logits(0), options, rng, { commit: [2], typed: [{ position: 2, token: MASK }] }),
    ).toThrow(/cannot be written|not a token/);
    expect(() => step(start, logits(0), options, rng)).toThrow(/needs a person's choice/);
    expect(() => resolveOptions({ strategy: 'human', steps: 1, temperature: 1 })).toThrow(
      /temperature must be 0/,
    );
  });

  it('replays from its logits and the choices read back from its records', () => {
    let state = createInitialState(init, MASK, options);
    const choices = [
      { commit: [2] },
      { commit: [1, 4], typed: [{ position: 4, token: 10 }] },
      { commit: [3, 5] },
    ];
    const records = choices.map((c, k) => {
      const r = step(state, logits(k), options, new Rng(0), c);
      state = r.state;
      return r.record;
    });
    expect(state.done).toBe(true);
    expect(records.map(choiceFromRecord)).toEqual(choices);
    const replayed = traceFromLogits(
      init,
      options,
      V,
      MASK,
      choices.map((_, k) => logits(k)),
      records.map(choiceFromRecord),
    );
    expect(replayed.records).toEqual(records);
    expect(replayed.final).toEqual([3, 4, 5, 8, 10, 9]);
    // Without the choices there is nothing to replay.
    expect(() =>
      recordsFromLogits(createInitialState(init, MASK, options), options, V, [logits(0)]),
    ).toThrow(/needs a person's choice/);
    // Exported and imported, it is the same trace, named as a person's run.
    const parsed = parseTrace(serializeTrace(replayed));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.trace.options.strategy).toBe('human');
      expect(parsed.trace.records).toEqual(records);
    }
  });
});

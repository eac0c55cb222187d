import { describe, expect, it } from 'vitest';
import {
  historyResolution,
  historyX,
  LOSS_HISTORY_CAP,
  pushLoss,
  restoreHistory,
  withLosses,
  type HistoryPoint,
} from './lossHistory';
import type { LossPoint } from './trainingProtocol';

/** Step i (from 1) with loss losses[i-1] and lr i: integers, so every mean below is exact. */
const stream = (losses: number[]): LossPoint[] =>
  losses.map((loss, i) => ({ step: i + 1, loss, lr: i + 1 }));

const pushed = (points: LossPoint[], cap: number) => {
  const h: HistoryPoint[] = [];
  for (const p of points) pushLoss(h, p, cap);
  return h;
};

describe('the bounded loss history', () => {
  const losses = [8, 4, 6, 2, 10, 6, 3, 1, 7, 5];

  it('keeps every step up to the cap, then halves: cap 4, by hand', () => {
    const points = stream(losses);
    expect(pushed(points.slice(0, 4), 4)).toEqual(
      points.slice(0, 4).map((p) => ({ ...p, span: 1 })),
    );
    // Step 5 is one too many: pairs merge (means of 8,4 and 6,2; lr of 1,2 and 3,4), 5 stays.
    expect(pushed(points.slice(0, 5), 4)).toEqual([
      { step: 2, loss: 6, lr: 1.5, span: 2 },
      { step: 4, loss: 4, lr: 3.5, span: 2 },
      { step: 5, loss: 10, lr: 5, span: 1 },
    ]);
    // Step 6 fills the last point; 7 starts a new one, 8 fills it.
    expect(pushed(points.slice(0, 6), 4).at(-1)).toEqual({ step: 6, loss: 8, lr: 5.5, span: 2 });
    expect(pushed(points.slice(0, 8), 4)).toHaveLength(4);
    // Step 9 halves again (4 steps a point); 10 joins 9.
    const ten = pushed(points, 4);
    expect(ten).toEqual([
      { step: 4, loss: (8 + 4 + 6 + 2) / 4, lr: 2.5, span: 4 },
      { step: 8, loss: (10 + 6 + 3 + 1) / 4, lr: 6.5, span: 4 },
      { step: 10, loss: (7 + 5) / 2, lr: 9.5, span: 2 },
    ]);
    expect(historyResolution(ten)).toBe(4);
    // On the step axis each point sits in the middle of its steps.
    expect(ten.map(historyX)).toEqual([2.5, 6.5, 9.5]);
  });

  it('a run no longer than the cap (the default 4,000 steps) keeps one point per step, as given', () => {
    const points = Array.from({ length: LOSS_HISTORY_CAP }, (_, i) => ({
      step: i + 1,
      loss: Math.cos(i) + 3,
      lr: 1e-3 * Math.sin(i),
    }));
    const h = pushed(points, LOSS_HISTORY_CAP);
    expect(h).toEqual(points.map((p) => ({ ...p, span: 1 })));
    expect(h.map(historyX)).toEqual(points.map((p) => p.step));
    // One step more and it halves.
    pushLoss(h, { step: LOSS_HISTORY_CAP + 1, loss: 3, lr: 0 });
    expect(h).toHaveLength(LOSS_HISTORY_CAP / 2 + 1);
    expect(historyResolution(h)).toBe(2);
  });

  it('holds at most the cap over 1,000,000 steps, covering them evenly, at O(1) writes a step', () => {
    const steps = 1_000_000;
    const target: HistoryPoint[] = [];
    // Counts every write into the array (elements and length): copying or shifting the
    // history on each step would write thousands of times a step.
    let writes = 0;
    const h = new Proxy(target, {
      set(t, key, value) {
        writes++;
        return Reflect.set(t, key, value);
      },
    });
    let longest = 0;
    // loss = step: each point's mean loss is then the middle of its steps, exactly.
    for (let step = 1; step <= steps; step++) {
      pushLoss(h, { step, loss: step, lr: 2 * step });
      if (target.length > longest) longest = target.length;
    }
    expect(longest).toBe(LOSS_HISTORY_CAP);
    expect(writes).toBeLessThan(1.1 * steps);
    // 4096 → 256 steps a point past 524,288 steps (4096·128): 3,906 whole points and 64 steps.
    expect(historyResolution(target)).toBe(256);
    expect(target).toHaveLength(3907);
    expect(target.slice(0, -1).every((p, i) => p.span === 256 && p.step === 256 * (i + 1))).toBe(
      true,
    );
    expect(target.at(-1)).toMatchObject({ step: steps, span: 64 });
    expect(target.reduce((n, p) => n + p.span, 0)).toBe(steps);
    expect(target.every((p) => p.loss === historyX(p) && p.lr === 2 * historyX(p))).toBe(true);
  });

  it('restores a stored history point for point, and thins one written a point per step', () => {
    const points = stream(losses);
    const bounded = pushed(points, 4);
    expect(restoreHistory(bounded, 4)).toEqual(bounded);
    // A record from before the history was bounded: every step, no spans.
    expect(restoreHistory(points, 4)).toEqual(bounded);
    expect(restoreHistory(points, 16)).toEqual(points.map((p) => ({ ...p, span: 1 })));
  });

  it('the page gets the same history whatever the reports hold, and its old state stays as it was', () => {
    const points = stream([...losses, ...losses, ...losses]);
    const straight = pushed(points, 4);
    for (const sizes of [[30], [1, 2, 3, 4, 5, 6, 9], [9, 1, 1, 19]]) {
      let h: readonly HistoryPoint[] = [];
      let at = 0;
      for (const n of sizes) {
        const before = h;
        const shown = JSON.stringify(before);
        h = withLosses(h, points.slice(at, at + n), 4);
        at += n;
        expect(h).not.toBe(before);
        expect(JSON.stringify(before)).toBe(shown);
      }
      expect(h).toEqual(straight);
      // A report without losses changes nothing (the same array: no re-render).
      expect(withLosses(h, [], 4)).toBe(h);
    }
  });
});

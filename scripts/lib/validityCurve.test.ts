import { describe, expect, it } from 'vitest';
import { ValidityCurve } from './validityCurve';

const at = (step: number, validity: number) => ({
  step,
  seconds: step / 2,
  wallSeconds: step / 2 + 1,
  validity,
});

describe('ValidityCurve', () => {
  it('measures every N steps and at the last step, never when N is 0', () => {
    const c = new ValidityCurve(4, 10);
    const due = Array.from({ length: 10 }, (_, i) => i + 1).filter((s) => c.due(s));
    expect(due).toEqual([4, 8, 10]);
    const off = new ValidityCurve(0, 10);
    expect([1, 4, 10].some((s) => off.due(s))).toBe(false);
  });

  it('stops at the first measurement that reaches the target, and reports that one', () => {
    const c = new ValidityCurve(100, 1000, 0.9);
    expect(c.record(at(100, 0.2))).toBe(false);
    expect(c.record(at(200, 0.899))).toBe(false);
    expect(c.record(at(300, 0.9))).toBe(true);
    // A later point (a run that kept going) does not move the first hit.
    expect(c.record(at(400, 0.95))).toBe(true);
    expect(c.outcome()).toEqual({
      target: 0.9,
      met: true,
      step: 300,
      trainSeconds: 150,
      wallSeconds: 151,
    });
    expect(c.points.map((p) => p.validity)).toEqual([0.2, 0.899, 0.9, 0.95]);
  });

  it('without a target never stops and has no outcome; a missed target says so', () => {
    const free = new ValidityCurve(1, 3);
    expect(free.record(at(1, 1))).toBe(false);
    expect(free.outcome()).toBeNull();
    const missed = new ValidityCurve(1, 2, 0.5);
    missed.record(at(1, 0.1));
    missed.record(at(2, 0.49));
    expect(missed.outcome()).toEqual({
      target: 0.5,
      met: false,
      step: null,
      trainSeconds: null,
      wallSeconds: null,
    });
  });

  it('refuses steps out of order and targets outside [0, 1]', () => {
    const c = new ValidityCurve(2, 10, 0.5);
    c.record(at(2, 0));
    expect(() => c.record(at(2, 0))).toThrow(/steps must increase/);
    expect(() => new ValidityCurve(2, 10, 1.5)).toThrow(/target/);
    expect(() => new ValidityCurve(-1, 10)).toThrow(/every/);
  });
});

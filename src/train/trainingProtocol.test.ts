import { describe, expect, it } from 'vitest';
import {
  configForPreset,
  formatDuration,
  scheduleFor,
  smoothLosses,
  throughput,
} from './trainingProtocol';
import { learningRateAt } from '../model/lrSchedule';

describe('smoothLosses', () => {
  it('is a bias-corrected moving average', () => {
    // β = 0.5: avg1 = 0.5·2 = 1, w1 = 0.5 → 2; avg2 = 0.5·1 + 0.5·4 = 2.5, w2 = 0.75 → 10/3.
    const out = smoothLosses([2, 4], 0.5);
    expect(out[0]).toBeCloseTo(2, 12);
    expect(out[1]).toBeCloseTo(10 / 3, 12);
  });
  it('weighs a point covering n steps as n steps of its loss, and is unchanged for single steps', () => {
    const losses = [5, 3, 4, 2];
    // Points of 2, 1, 4 and 1 steps against the same means repeated step by step.
    const spans = [2, 1, 4, 1];
    const expanded = losses.flatMap((l, i) => Array<number>(spans[i]).fill(l));
    const ends = [1, 2, 6, 7];
    const perStep = smoothLosses(expanded, 0.9);
    smoothLosses(losses, 0.9, spans).forEach((v, i) => expect(v).toBeCloseTo(perStep[ends[i]], 12));
    // β^1 is β: the default run's line is what it was, bit for bit.
    expect(smoothLosses(losses, 0.9, [1, 1, 1, 1])).toEqual(smoothLosses(losses));
  });
  it('keeps a constant series constant and skips non-finite values', () => {
    const out = smoothLosses([3, NaN, 3, 3]);
    expect(out[1]).toBeNaN();
    for (const i of [0, 2, 3]) expect(out[i]).toBeCloseTo(3, 12);
  });
});

describe('throughput', () => {
  it('counts only the steps of the current stretch', () => {
    // 40 steps (from 10 to 50) in 8 s: 5 steps/s; 50 left of 100 → 10 s; 8·16 tokens a step.
    const r = throughput(50, 10, 8, 100, 8 * 16);
    expect(r.stepsPerSecond).toBe(5);
    expect(r.tokensPerSecond).toBe(640);
    expect(r.etaSeconds).toBe(10);
  });
  it('has no rate before a step is done', () => {
    expect(throughput(10, 10, 3, 100, 1)).toEqual({
      stepsPerSecond: 0,
      tokensPerSecond: 0,
      etaSeconds: null,
    });
  });
});

describe('scheduleFor', () => {
  it('warms up over 5% of the steps and ends at peak/30', () => {
    const s = scheduleFor({ steps: 600, lr: 3e-3 });
    expect(s.warmupSteps).toBe(30);
    expect(learningRateAt(29, s)).toBeCloseTo(3e-3, 15);
    expect(learningRateAt(600, s)).toBeCloseTo(1e-4, 15);
    expect(scheduleFor({ steps: 10_000, lr: 1e-3 }).warmupSteps).toBe(200);
  });
});

describe('settings and presets', () => {
  it("'toy' is the shipped default's architecture", () => {
    const c = configForPreset('toy', 147, 16);
    expect(c).toMatchObject({ dModel: 64, heads: 4, layers: 4, ffn: 256, timeConditioning: true });
  });
  it('formats durations', () => {
    expect(formatDuration(42.4)).toBe('42 s');
    expect(formatDuration(185)).toBe('3 min 05 s');
    expect(formatDuration(3720)).toBe('1 h 02 min');
  });
});

import { describe, expect, it } from 'vitest';
import { randomModel, tableModel } from '../sampler/fakeModels.testutil';
import {
  DEFAULT_STYLE,
  decodingRequest,
  settingLabel,
  speedGrid,
  stepCounts,
  tokensWritten,
} from './decodingSettings';
import { decoderOver, measureDecoding, type Decoder } from './measureDecoding';

/** A clock that moves only when told: each fake model call takes `msPerCall`. */
function fakeClock() {
  let t = 0;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

describe('the speed grid', () => {
  it('S = L, L/2, L/4, L/8 for each L, the twin first and the threshold point where asked', () => {
    expect(stepCounts(16)).toEqual([16, 8, 4, 2]);
    expect(stepCounts(12)).toEqual([12, 6, 3]); // 8 does not divide 12
    const grid = speedGrid([16, 32], { threshold: 0.9, adaptiveAt: [16] });
    expect(grid.map(settingLabel)).toEqual([
      'autoregressive L=16',
      'diffusion L=16 S=16',
      'diffusion L=16 S=8',
      'diffusion L=16 S=4',
      'diffusion L=16 S=2',
      'diffusion L=16 threshold 0.9',
      'autoregressive L=32',
      'diffusion L=32 S=32',
      'diffusion L=32 S=16',
      'diffusion L=32 S=8',
      'diffusion L=32 S=4',
    ]);
  });

  it('the twin is given the first word and writes the rest; diffusion writes the whole window', () => {
    const ar = decodingRequest({ model: 'autoregressive', length: 16 }, DEFAULT_STYLE, 5, 42);
    expect(ar.init).toEqual({ prompt: [42], genLength: 15 });
    expect(ar.options).toMatchObject({ strategy: 'autoregressive', seed: 5, temperature: 1 });
    expect(ar.options.eosId).toBeUndefined(); // no early stop: one call per token
    expect(tokensWritten({ model: 'autoregressive', length: 16 })).toBe(15);
    const d = decodingRequest({ model: 'diffusion', length: 32, steps: 4 }, DEFAULT_STYLE, 1, 42);
    expect(d.init).toEqual({ prompt: [], genLength: 32 });
    expect(d.options).toMatchObject({ strategy: 'llada.low_confidence', steps: 4 });
  });
});

describe('measureDecoding', () => {
  it('counts calls and turns the clock into ms per sample and tokens per second', async () => {
    const clock = fakeClock();
    const seen: number[] = [];
    const decode: Decoder = async (init, options) => {
      seen.push(options.seed!);
      clock.advance(5 * options.steps); // 5 ms per call
      return { final: new Int32Array(init.genLength), calls: options.steps };
    };
    const m = await measureDecoding(
      decode,
      { model: 'diffusion', length: 16, steps: 4 },
      {
        samples: 3,
        warmup: 2,
        seed: 10,
        style: DEFAULT_STYLE,
        firstWord: () => 3,
        now: clock.now,
      },
    );
    // Warm-up samples use seeds after the timed ones, so the timed seeds are 10, 11, 12.
    expect(seen).toEqual([13, 14, 10, 11, 12]);
    expect(m.calls.mean).toBe(4);
    expect(m.ms.mean).toBe(20);
    expect(m.msPerCall).toBe(5);
    // 16 tokens in 20 ms: 800 tokens/s.
    expect(m.tokensPerSecond).toBeCloseTo(800, 9);
    expect(m.valid).toBeNull();
  });

  it('runs the real sampler: S calls for fixed S, L − 1 for the twin, and judges each window', async () => {
    const model = randomModel(6, 8, 0, 1);
    const clock = fakeClock();
    const counting = {
      ...model,
      async logits(tokens: Int32Array, batch: number, t?: Float32Array) {
        clock.advance(1);
        return model.logits(tokens, batch, t);
      },
    };
    const base = {
      samples: 4,
      warmup: 0,
      seed: 1,
      style: DEFAULT_STYLE,
      now: clock.now,
      firstWord: () => 2,
    };
    const judged: number[][] = [];
    const fixed = await measureDecoding(
      decoderOver(counting),
      { model: 'diffusion', length: 8, steps: 2 },
      {
        ...base,
        judge: (w) => (judged.push(Array.from(w)), w[0] === w[1]),
      },
    );
    expect(fixed.calls).toEqual({ count: 4, mean: 2, variance: 0 });
    expect(fixed.ms.mean).toBe(2);
    expect(judged).toHaveLength(4);
    expect(fixed.valid).toBe(judged.filter((w) => w[0] === w[1]).length);
    const ar = await measureDecoding(
      decoderOver(counting),
      { model: 'autoregressive', length: 8 },
      base,
    );
    expect(ar.calls.mean).toBe(7);
    expect(ar.tokens).toBe(7);
  });

  it('the threshold point needs fewer calls when the model is sure', async () => {
    // Every position: token 1 at probability 0.95 (over the 0.9 threshold), so one call commits all.
    const sure = tableModel(5, 0, [Array.from({ length: 8 }, () => ({ token: 1, prob: 0.95 }))]);
    const clock = fakeClock();
    const m = await measureDecoding(
      decoderOver(sure),
      { model: 'diffusion', length: 8, threshold: 0.9 },
      {
        samples: 2,
        warmup: 0,
        seed: 1,
        style: { strategy: 'llada.low_confidence', temperature: 0 },
        firstWord: () => 1,
        now: clock.now,
      },
    );
    expect(m.calls.mean).toBe(1);
  });
});

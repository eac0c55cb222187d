import { RunningMoments, type MomentsSummary } from '../runningMoments';
import {
  runSamplerToEnd,
  type LogitsModel,
  type SamplerInit,
  type SamplerOptions,
} from '../sampler';
import {
  decodingRequest,
  tokensWritten,
  type DecodingSetting,
  type DecodingStyle,
} from './decodingSettings';

/**
 * Times one setting of the speed grid: `samples` windows, each written from scratch, with the
 * model calls, the milliseconds and the tokens per second, and (when a judge is given, i.e. the
 * model is a trained one) how many samples are grammatical.
 */

/** Writes one window; however it runs (here, in a worker), it reports the final tokens and calls. */
export type Decoder = (
  init: SamplerInit,
  options: SamplerOptions,
) => Promise<{ final: ArrayLike<number>; calls: number }>;

/** A Decoder that runs the sampler here, calling the model once per step. */
export function decoderOver(model: LogitsModel): Decoder {
  return async (init, options) => {
    const trace = await runSamplerToEnd(model, init, options);
    return { final: trace.final, calls: trace.records.length };
  };
}

export interface MeasureOptions {
  samples: number;
  /** Untimed samples first (the first calls of a session pay for its warm-up). */
  warmup: number;
  /** Sample i uses sampler seed `seed + i`. */
  seed: number;
  style: DecodingStyle;
  /** The given first word of sample i (autoregressive settings only). */
  firstWord: (sample: number) => number;
  /** The grammar's verdict on a final window; omit for an untrained (timing) model. */
  judge?: (window: ArrayLike<number>) => boolean;
  /** A monotonic clock in ms (performance.now). */
  now: () => number;
  /** Called after each timed sample. */
  onSample?: (done: number) => void;
}

export interface SpeedMeasurement {
  setting: DecodingSetting;
  samples: number;
  tokens: number;
  /** Model calls per sample. */
  calls: MomentsSummary;
  /** Wall-clock ms per sample (model calls and the sampler's own work). */
  ms: MomentsSummary;
  msPerCall: number;
  /** Tokens written per second of wall clock, over all timed samples. */
  tokensPerSecond: number;
  /** Grammatical samples, or null when there is no trained model to judge. */
  valid: number | null;
}

export async function measureDecoding(
  decode: Decoder,
  setting: DecodingSetting,
  o: MeasureOptions,
): Promise<SpeedMeasurement> {
  if (!Number.isInteger(o.samples) || o.samples < 1) {
    throw new RangeError(`samples must be ≥ 1, got ${o.samples}`);
  }
  const request = (i: number) => decodingRequest(setting, o.style, o.seed + i, o.firstWord(i));
  for (let i = 0; i < o.warmup; i++) {
    const { init, options } = request(o.samples + i);
    await decode(init, options);
  }
  const calls = new RunningMoments();
  const ms = new RunningMoments();
  let valid = 0;
  let totalMs = 0;
  let totalCalls = 0;
  for (let i = 0; i < o.samples; i++) {
    const { init, options } = request(i);
    const start = o.now();
    const result = await decode(init, options);
    const elapsed = o.now() - start;
    ms.push(elapsed);
    calls.push(result.calls);
    totalMs += elapsed;
    totalCalls += result.calls;
    if (o.judge?.(result.final)) valid++;
    o.onSample?.(i + 1);
  }
  const tokens = tokensWritten(setting);
  return {
    setting,
    samples: o.samples,
    tokens,
    calls: calls.summary(),
    ms: ms.summary(),
    msPerCall: totalCalls > 0 ? totalMs / totalCalls : 0,
    tokensPerSecond: totalMs > 0 ? (tokens * o.samples * 1000) / totalMs : Infinity,
    valid: o.judge ? valid : null,
  };
}

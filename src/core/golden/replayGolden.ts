/**
 * Replays a golden file through our sampler with the sinusoid mock and compares every call's
 * input and output, then the final sequence, naming the first difference.
 */
import { runSamplerToEnd } from '../sampler/driver';
import { llada2StepsPerBlock } from '../sampler/llada2Rules';
import type { SamplerOptions } from '../sampler/options';
import type { SamplerInit } from '../sampler/state';
import type { SamplerTrace, TraceRecord } from '../sampler/trace';
import { parseGolden, type GoldenFile } from './goldenFile';
import { SinusoidDenoiser } from './sinusoidDenoiser';

export type GoldenResult = { pass: true } | { pass: false; firstDifference: string };

interface Setup {
  init: SamplerInit;
  options: SamplerOptions;
}

function num(params: Record<string, unknown>, name: string): number {
  const v = params[name];
  if (typeof v !== 'number')
    throw new Error(`params.${name} must be a number, found ${JSON.stringify(v)}`);
  return v;
}

function requireUnset(params: Record<string, unknown>, names: string[]): void {
  for (const name of names) {
    const v = params[name];
    if (v !== null && v !== undefined && v !== false && v !== 0) {
      throw new Error(`params.${name} = ${JSON.stringify(v)} is not supported by the replay`);
    }
  }
}

type Common = Pick<SamplerOptions, 'maskToken' | 'traceTopK' | 'timeInput'>;

/**
 * LLaDA2.0 and 2.1 (ZHZisZZ/dllm): the canvas is the prompt and max_new_tokens rounded up to
 * whole blocks, N = ceil((p + L) / B) · B, and every position after the prompt is generated.
 */
function llada2Setup(g: GoldenFile, common: Common): Setup {
  const p = g.params;
  requireUnset(p, ['top_p', 'top_k', 'max_length', 'eos_early_stop']);
  const B = num(p, 'block_size');
  const L = num(p, 'max_new_tokens');
  const n = Math.ceil((g.prompt.length + L) / B) * B;
  const init: SamplerInit = { prompt: g.prompt, genLength: n - g.prompt.length };
  const shared = { ...common, blockLength: B, threshold: num(p, 'threshold') };
  if (g.strategy === 'llada2.threshold') {
    const minimalTopK = typeof p.minimal_topk === 'number' ? p.minimal_topk : 1;
    const steps = llada2StepsPerBlock(num(p, 'steps_per_block'), L, minimalTopK);
    return { init, options: { ...shared, strategy: g.strategy, steps } };
  }
  return {
    init,
    options: {
      ...shared,
      strategy: 'llada21.edit',
      steps: 1, // not used: the calls follow from the masks and the edits
      editThreshold: num(p, 'editing_threshold'),
      numToTransfer: num(p, 'num_to_transfer'),
      maxPostSteps: num(p, 'max_post_steps'),
    },
  };
}

/**
 * Translate the upstream arguments into our options. Anything that would change the run and that
 * we do not model (classifier-free guidance, attention masks, sampling temperature without a
 * shared random stream, Dream's alg_temp, LLaDA2's early stop) is refused rather than silently
 * ignored.
 */
export function goldenSetup(g: GoldenFile): Setup {
  const p = g.params;
  const maskParam = g.strategy.startsWith('dream.') ? 'mask_token_id' : 'mask_id';
  if (p[maskParam] !== undefined && p[maskParam] !== g.denoiser.maskId) {
    throw new Error(
      `params.${maskParam} ${JSON.stringify(p[maskParam])} ≠ denoiser.maskId ${g.denoiser.maskId}`,
    );
  }
  requireUnset(p, ['temperature', 'cfg_scale', 'attention_mask', 'alg_temp']);
  const base: Common = {
    maskToken: 'allow', // upstream keeps [MASK] in the softmax and the argmax
    traceTopK: 0,
    timeInput: 'none',
  };
  if (g.strategy === 'llada2.threshold' || g.strategy === 'llada21.edit') {
    return llada2Setup(g, base);
  }
  const genLength = num(p, 'gen_length');
  const init: SamplerInit = { prompt: g.prompt, genLength };
  if (g.strategy === 'dus.dilated') {
    if (p.scheduler !== 'dilated')
      throw new Error(`params.scheduler ${JSON.stringify(p.scheduler)} is not dilated`);
    if (p.remasking !== 'none' && p.remasking !== 'low_confidence')
      throw new Error(
        `params.remasking ${JSON.stringify(p.remasking)} is not none or low_confidence`,
      );
    return {
      init,
      options: {
        ...base,
        strategy: g.strategy,
        steps: 1, // not used: one call per dilated level
        blockLength: num(p, 'block_length'),
        dusBase: typeof p.base === 'number' ? p.base : 2,
        dusBaseSkip: typeof p.base_skip === 'number' ? p.base_skip : 1,
        dusRemasking: p.remasking,
        dusThreshold: num(p, 'confidence_threshold'),
      },
    };
  }
  const common: Common & Pick<SamplerOptions, 'steps'> = { ...base, steps: num(p, 'steps') };
  switch (g.strategy) {
    case 'eb.entropy_bound':
      return {
        init,
        options: {
          ...common,
          strategy: g.strategy,
          blockLength: num(p, 'block_length'),
          entropyBound: num(p, 'gamma'),
        },
      };
    case 'llada.low_confidence': {
      if (p.remasking !== 'low_confidence')
        throw new Error(`params.remasking ${JSON.stringify(p.remasking)} is not low_confidence`);
      requireUnset(p, ['logits_eos_inf', 'confidence_eos_eot_inf']); // need LLaDA's EOS ids
      return {
        init,
        options: { ...common, strategy: g.strategy, blockLength: num(p, 'block_length') },
      };
    }
    case 'fastdllm.threshold':
      if (p.remasking !== 'low_confidence')
        throw new Error(`params.remasking ${JSON.stringify(p.remasking)} is not low_confidence`);
      return {
        init,
        options: {
          ...common,
          strategy: g.strategy,
          blockLength: num(p, 'block_length'),
          threshold: num(p, 'threshold'),
        },
      };
    default: {
      const alg = g.strategy.slice('dream.'.length);
      if (p.alg !== undefined && p.alg !== alg)
        throw new Error(`params.alg ${JSON.stringify(p.alg)} does not match ${g.strategy}`);
      if (typeof p.max_length === 'number' && p.max_length !== g.prompt.length + genLength) {
        throw new Error(
          `params.max_length ${p.max_length} ≠ prompt ${g.prompt.length} + gen_length ${genLength}`,
        );
      }
      return {
        init,
        options: {
          ...common,
          strategy: g.strategy,
          dreamEps: typeof p.eps === 'number' ? p.eps : 1e-3,
          topP: typeof p.top_p === 'number' ? p.top_p : null,
          topK: typeof p.top_k === 'number' ? p.top_k : null,
        },
      };
    }
  }
}

function firstMismatch(expected: number[], got: number[]): string | null {
  if (expected.length !== got.length) return `length ${got.length}, expected ${expected.length}`;
  for (let i = 0; i < expected.length; i++) {
    if (expected[i] !== got[i]) return `position ${i} (expected ${expected[i]}, got ${got[i]})`;
  }
  return null;
}

/** Compare our records with the golden's calls; null when they agree. */
export function compareWithGolden(
  g: GoldenFile,
  records: TraceRecord[],
  final: number[],
): string | null {
  const calls = Math.min(records.length, g.calls.length);
  for (let k = 0; k < calls; k++) {
    // The model saw before[0 : inputLength]: a block-causal prefix, or the whole sequence.
    const seen = records[k].before.slice(0, records[k].inputLength);
    const input = firstMismatch(g.calls[k].input, seen);
    if (input) return `call ${k}: input differs at ${input}`;
    const output = firstMismatch(g.calls[k].output, records[k].after);
    if (output) return `call ${k}: output differs at ${output}`;
  }
  if (records.length !== g.calls.length) {
    return `call ${calls}: ${g.calls.length} calls expected, the sampler made ${records.length}`;
  }
  const f = firstMismatch(g.final, final);
  return f ? `final sequence differs at ${f}` : null;
}

/**
 * Replay a parsed JSON value of schema dllm-golden/1. `overrides` change our options on top of
 * the golden's (to check that a deliberately different sampler is caught).
 */
export async function replayGolden(
  json: unknown,
  overrides: Partial<SamplerOptions> = {},
): Promise<GoldenResult> {
  const parsed = parseGolden(json);
  if (!parsed.ok) return { pass: false, firstDifference: `not a golden file: ${parsed.error}` };
  const g = parsed.golden;
  let setup: Setup;
  try {
    setup = goldenSetup(g);
  } catch (e) {
    return { pass: false, firstDifference: `unsupported: ${(e as Error).message}` };
  }
  const model = new SinusoidDenoiser(g.denoiser, g.prompt.length + setup.init.genLength).exact;
  let trace: SamplerTrace;
  try {
    trace = await runSamplerToEnd(model, setup.init, { ...setup.options, ...overrides });
  } catch (e) {
    return { pass: false, firstDifference: `sampler error: ${(e as Error).message}` };
  }
  const diff = compareWithGolden(g, trace.records, trace.final);
  return diff ? { pass: false, firstDifference: diff } : { pass: true };
}

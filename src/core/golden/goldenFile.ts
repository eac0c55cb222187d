/**
 * A reference trace in the `dllm-golden/1` schema (shared/golden/README.md): one greedy run of
 * an upstream sampler with the sinusoid mock, every model call's input and output.
 */
import type { SinusoidParams } from './sinusoidDenoiser';

export const GOLDEN_SCHEMA = 'dllm-golden/1';

export const GOLDEN_STRATEGIES = [
  'llada.low_confidence',
  'fastdllm.threshold',
  'dream.maskgit_plus',
  'dream.topk_margin',
  'dream.entropy',
  'llada2.threshold',
  'llada21.edit',
  'eb.entropy_bound',
  'dus.dilated',
] as const;

export type GoldenStrategy = (typeof GOLDEN_STRATEGIES)[number];

export interface GoldenCall {
  /** Exactly what the model was given: the whole sequence, or a block-causal prefix of it. */
  input: number[];
  /** The whole sequence after the call. */
  output: number[];
}

export interface GoldenFile {
  schema: typeof GOLDEN_SCHEMA;
  reference: { repo: string; path: string; function: string; commit: string };
  strategy: GoldenStrategy;
  /** The upstream function's arguments (null = not set). */
  params: Record<string, unknown>;
  denoiser: SinusoidParams & { kind: 'sinusoid' };
  prompt: number[];
  calls: GoldenCall[];
  final: number[];
  notes?: string;
}

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isIntArray = (x: unknown): x is number[] =>
  Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isInteger(v));

/** Check the shape of a parsed golden file; returns it typed, or a one-line reason. */
export function parseGolden(
  x: unknown,
): { ok: true; golden: GoldenFile } | { ok: false; error: string } {
  const fail = (error: string) => ({ ok: false as const, error });
  if (!isObj(x)) return fail('not a JSON object');
  if (x.schema !== GOLDEN_SCHEMA)
    return fail(`schema is ${JSON.stringify(x.schema)}, expected '${GOLDEN_SCHEMA}'`);
  if (!GOLDEN_STRATEGIES.includes(x.strategy as GoldenStrategy)) {
    return fail(`unknown strategy ${JSON.stringify(x.strategy)}`);
  }
  if (!isObj(x.params)) return fail('params is not an object');
  const d = x.denoiser;
  if (!isObj(d) || d.kind !== 'sinusoid') return fail('denoiser.kind is not "sinusoid"');
  for (const f of ['vocabSize', 'maskId', 'a', 'b', 'c']) {
    if (typeof d[f] !== 'number' || !Number.isFinite(d[f]))
      return fail(`denoiser.${f} is not a number`);
  }
  if (!isIntArray(x.prompt)) return fail('prompt is not an array of token ids');
  if (!Array.isArray(x.calls) || x.calls.length === 0)
    return fail('calls is not a non-empty array');
  for (let k = 0; k < x.calls.length; k++) {
    const c = x.calls[k];
    if (!isObj(c) || !isIntArray(c.input) || !isIntArray(c.output)) {
      return fail(`calls[${k}] needs integer arrays input and output`);
    }
  }
  if (!isIntArray(x.final)) return fail('final is not an array of token ids');
  return { ok: true, golden: x as unknown as GoldenFile };
}

/**
 * Strategies on one forward pass: given one canvas and the logits of one model call on it, what
 * each strategy's rule would commit (and edit, or take back) from those same logits. Every rule
 * is the strategy's own `decide`, run greedily (temperature 0, [MASK] suppressed, as in the app)
 * on a state built for this canvas, so the rules are compared on the same confidences:
 *
 * - one block over the whole generated region (block bookkeeping is not what is compared);
 * - the schedules read the run's steps S and the call index c of the canvas: LLaDA commits the
 *   first share of the even split of the current masks over the S − c calls left, the article
 *   ⌊masked / (S − c)⌋, Dream its float32 count at step c, LLaDA2.0 the floor sched[c] of the
 *   window over S steps (c past the end reads the last step);
 * - DUS places the next level of its dilated order that still has masks;
 * - the random rules (LLaDA random, ReMDM) and the typewriter are left out: they do not read the
 *   logits the way the others do.
 */
import { Rng } from '../rng';
import { dilatedLevels } from './dilatedLevels';
import { llada2FloorSchedule } from './llada2Rules';
import {
  resolveOptions,
  type ResolvedSamplerOptions,
  type SamplerOptions,
  type StrategyName,
} from './options';
import { predictPositions } from './predict';
import { evenSplitSchedule } from './schedule';
import type { Logits } from './softmax';
import { countMasked, startingTokens, type SamplerState } from './state';
import { strategyFor } from './strategies';
import type { ConfidenceRule } from './confidence';

export const ONE_CALL_STRATEGIES: readonly StrategyName[] = [
  'llada.low_confidence',
  'fastdllm.threshold',
  'dream.maskgit_plus',
  'dream.topk_margin',
  'dream.entropy',
  'article',
  'llada2.threshold',
  'llada21.edit',
  'eb.entropy_bound',
  'dus.dilated',
];

/** The knobs the rules read besides the schedule (as in the generate view's controls). */
export type OneCallKnobs = Pick<
  SamplerOptions,
  | 'threshold'
  | 'editThreshold'
  | 'numToTransfer'
  | 'entropyBound'
  | 'dusBase'
  | 'dusBaseSkip'
  | 'dusRemasking'
  | 'dusThreshold'
>;

export interface OneCallCanvas {
  /** The window the model was given (pinned tokens, committed tokens, mask id elsewhere). */
  tokens: readonly number[];
  pinned: readonly boolean[];
  promptLength: number;
  maskId: number;
  /** The run's steps S and the 0-based call c this canvas is the input of. */
  steps: number;
  call: number;
}

export interface OneCallDecision {
  strategy: StrategyName;
  rule: ConfidenceRule;
  /** Masked positions that would take their prediction, with it and its confidence. */
  commit: { position: number; token: number; confidence: number }[];
  /** Committed positions that would be rewritten (LLaDA2.1). */
  edit: { position: number; from: number; to: number; confidence: number }[];
  /** Positions whose prediction would be placed and taken back at once (DUS remasking). */
  discard: number[];
}

function stateFor(
  canvas: OneCallCanvas,
  o: ResolvedSamplerOptions,
  vocabSize: number,
): SamplerState {
  const n = canvas.tokens.length;
  const p = canvas.promptLength;
  const infill: { position: number; token: number }[] = [];
  for (let i = p; i < n; i++) {
    if (canvas.pinned[i]) infill.push({ position: i, token: canvas.tokens[i] });
  }
  const base = startingTokens(
    { prompt: canvas.tokens.slice(0, p), genLength: n - p, infill },
    canvas.maskId,
    o,
  );
  const tokens = Int32Array.from(canvas.tokens);
  for (const t of tokens) {
    if (t < 0 || t >= vocabSize) throw new Error(`token ${t} is outside the vocabulary`);
  }
  const committedAt = Int32Array.from(canvas.tokens, (t, i) =>
    canvas.pinned[i] || t === canvas.maskId ? -1 : Math.max(0, canvas.call - 1),
  );
  const withTokens: SamplerState = { ...base, tokens, committedAt };
  const masks = countMasked(withTokens);
  const last = Math.max(0, Math.min(canvas.call, o.steps - 1));
  const left = Math.max(1, o.steps - canvas.call);
  const common = { ...withTokens, call: last, block: 0, stepInBlock: 0, done: false };
  switch (o.strategy) {
    case 'llada.low_confidence':
      return { ...common, blockSchedule: evenSplitSchedule(masks, left) };
    case 'llada2.threshold':
      return { ...common, stepInBlock: last, blockSchedule: llada2FloorSchedule(n, o.steps) };
    case 'dus.dilated': {
      const levels = dilatedLevels(n - p, o.dusBase, o.dusBaseSkip);
      const next = levels.findIndex((level) =>
        level.some((off) => !canvas.pinned[p + off] && canvas.tokens[p + off] === canvas.maskId),
      );
      return { ...common, stepInBlock: Math.max(0, next) };
    }
    default:
      return common;
  }
}

/**
 * What each strategy of `strategies` would do with `logits` ([n × V], the call's whole window)
 * on `canvas`. Throws when the canvas and the logits do not fit.
 */
export function decisionsOnOneCall(
  canvas: OneCallCanvas,
  logits: Logits,
  vocabSize: number,
  knobs: OneCallKnobs,
  strategies: readonly StrategyName[] = ONE_CALL_STRATEGIES,
): OneCallDecision[] {
  const n = canvas.tokens.length;
  if (logits.length !== n * vocabSize) {
    throw new Error(`expected ${n} × ${vocabSize} logits, got ${logits.length}`);
  }
  return strategies.map((strategy) => {
    const o = resolveOptions({
      ...knobs,
      strategy,
      steps: Math.max(1, canvas.steps),
      blockLength: null,
      temperature: 0,
      topK: null,
      topP: null,
      traceTopK: 0,
      maskToken: 'suppress',
      timeInput: 'none',
    });
    const rule = strategyFor(strategy);
    const state = stateFor(canvas, o, vocabSize);
    const rng = new Rng(0);
    const predictions = predictPositions(
      logits,
      n,
      vocabSize,
      canvas.maskId,
      o,
      rule.confidenceRule,
      rule.confidenceSource,
      rng,
    );
    const d = rule.decide(state, predictions, o, rng);
    const c = predictions.confidence;
    return {
      strategy,
      rule: rule.confidenceRule,
      commit: [...d.commit]
        .sort((a, b) => a - b)
        .map((i) => ({ position: i, token: predictions.prediction[i], confidence: c[i] })),
      edit: (d.edit ?? []).map((i) => ({
        position: i,
        from: canvas.tokens[i],
        to: predictions.prediction[i],
        confidence: c[i],
      })),
      discard: [...(d.discard ?? [])].sort((a, b) => a - b),
    };
  });
}

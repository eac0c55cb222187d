import { nllFromLogits } from './articleLoss';
import type { Denoiser } from './denoiser';
import {
  integrateMidpoint,
  midpointGrid,
  perplexityBound,
  type IntegralEstimate,
} from './elboBound';
import type { Rng } from './rng';
import { RunningMoments, type MomentsSummary } from './runningMoments';

/**
 * A Monte Carlo picture of the training loss against the masking ratio: for each t of a
 * midpoint grid, mask the sentence(s) many times with the forward process, run the model on
 * every masked copy (many copies per model call), and record both weightings of the loss:
 * the article's 1/(t·L) sum ("weighted") and the plain mean over masked positions ("plain").
 * The area under the weighted curve is the ELBO bound of elboBound.ts.
 */

export interface CurveSentence {
  /** x₀ as a model window of seqLen ids. */
  tokens: Int32Array;
  /** L: the forward process masks only positions [0, L); the rest stay visible. */
  length: number;
}

export interface LossCurveOptions {
  /** Number of t values: the midpoints of `bins` equal slices of (0, 1). */
  bins: number;
  /** Masked copies of each sentence at each t. */
  samplesPerBin: number;
  /** Masked copies sent to the model per call (the batch size). */
  rowsPerCall: number;
  /** Pass t to the model (a time-conditioned graph); otherwise the model gets no t. */
  timeInput: boolean;
}

export interface LossCurvePoint {
  t: number;
  /** Per-copy 1/(t·L) Σ −log p; a copy with nothing masked counts as 0 (it is a valid draw). */
  weighted: MomentsSummary;
  /** Per-copy mean of −log p over its masked positions; copies with nothing masked are left out. */
  plain: MomentsSummary;
}

export interface LossCurve {
  points: LossCurvePoint[];
  /** ∫₀¹ of the weighted curve: the negative ELBO, nats per token (averaged over sentences). */
  elbo: IntegralEstimate;
  perplexityBound: number;
  /** Masked copies drawn, copies that needed the model (something masked), and model calls. */
  copies: number;
  rows: number;
  calls: number;
}

export interface LossCurveProgress {
  rowsDone: number;
  rowsTotal: number;
  calls: number;
}

interface PlannedRow {
  bin: number;
  sentence: number;
  masked: Uint8Array;
  k: number;
}

function checkInputs(denoiser: Denoiser, sentences: readonly CurveSentence[], o: LossCurveOptions) {
  if (sentences.length === 0) throw new RangeError('need at least one sentence');
  for (const [name, v] of [
    ['samplesPerBin', o.samplesPerBin],
    ['rowsPerCall', o.rowsPerCall],
  ] as const) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`${name} must be ≥ 1, got ${v}`);
  }
  sentences.forEach((s, i) => {
    if (s.tokens.length !== denoiser.seqLen) {
      throw new RangeError(
        `sentence ${i} has ${s.tokens.length} tokens; the model's window is ${denoiser.seqLen}`,
      );
    }
    if (!Number.isInteger(s.length) || s.length < 1 || s.length > s.tokens.length) {
      throw new RangeError(`sentence ${i}: L must be in [1, ${s.tokens.length}], got ${s.length}`);
    }
  });
}

/**
 * Yields progress after every model call and returns the finished curve. All masks are drawn
 * from `rng` before the first call, so the result depends only on the seed, not on batching.
 * A caller that loses interest simply stops iterating.
 */
export async function* estimateLossCurve(
  denoiser: Denoiser,
  sentences: readonly CurveSentence[],
  options: LossCurveOptions,
  rng: Rng,
): AsyncGenerator<LossCurveProgress, LossCurve> {
  checkInputs(denoiser, sentences, options);
  const grid = midpointGrid(options.bins);
  const weighted = grid.map(() => new RunningMoments());
  const plain = grid.map(() => new RunningMoments());

  const rows: PlannedRow[] = [];
  let copies = 0;
  grid.forEach((t, bin) => {
    sentences.forEach((s, sentence) => {
      for (let m = 0; m < options.samplesPerBin; m++) {
        copies++;
        const masked = new Uint8Array(s.length);
        let k = 0;
        for (let i = 0; i < s.length; i++) {
          if (rng.uniform() < t) {
            masked[i] = 1;
            k++;
          }
        }
        // Nothing masked: the weighted loss is exactly 0 and the model has nothing to predict.
        if (k === 0) weighted[bin].push(0);
        else rows.push({ bin, sentence, masked, k });
      }
    });
  });

  const { seqLen: L, vocabSize: V, maskId } = denoiser;
  let calls = 0;
  for (let start = 0; start < rows.length; start += options.rowsPerCall) {
    const batch = rows.slice(start, start + options.rowsPerCall);
    const tokens = new Int32Array(batch.length * L);
    const tInput = new Float32Array(batch.length);
    batch.forEach((row, b) => {
      tokens.set(sentences[row.sentence].tokens, b * L);
      row.masked.forEach((m, i) => {
        if (m) tokens[b * L + i] = maskId;
      });
      tInput[b] = grid[row.bin];
    });
    const logits = await denoiser.logits(
      tokens,
      batch.length,
      options.timeInput ? tInput : undefined,
    );
    calls++;
    batch.forEach((row, b) => {
      const x0 = sentences[row.sentence].tokens;
      let sum = 0;
      row.masked.forEach((m, i) => {
        if (m) sum += nllFromLogits(logits, x0[i], (b * L + i) * V, V);
      });
      weighted[row.bin].push(sum / (grid[row.bin] * sentences[row.sentence].length));
      plain[row.bin].push(sum / row.k);
    });
    yield { rowsDone: start + batch.length, rowsTotal: rows.length, calls };
  }

  const points = grid.map((t, j) => ({
    t,
    weighted: weighted[j].summary(),
    plain: plain[j].summary(),
  }));
  const elbo = integrateMidpoint(points.map((p) => p.weighted));
  return {
    points,
    elbo,
    perplexityBound: perplexityBound(elbo.value),
    copies,
    rows: rows.length,
    calls,
  };
}

/** Runs estimateLossCurve to the end (for scripts and tests that need no progress). */
export async function lossCurve(
  denoiser: Denoiser,
  sentences: readonly CurveSentence[],
  options: LossCurveOptions,
  rng: Rng,
): Promise<LossCurve> {
  const run = estimateLossCurve(denoiser, sentences, options, rng);
  for (;;) {
    const next = await run.next();
    if (next.done) return next.value;
  }
}

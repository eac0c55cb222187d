import { maskedLossFromLogits } from '../src/core/articleLoss';

/** How well a predictor fills masked positions, over every batch it was shown. */
export interface MaskedTokenScores {
  rows: number;
  maskedTokens: number;
  /** Masked positions whose argmax prediction is the true token. */
  correct: number;
  accuracy: number;
  /** The article's objective, −1/(t·L) Σ_masked log p, averaged over rows. */
  elboLoss: number;
  /** The plain mean of −log p over every masked position. */
  meanLoss: number;
}

/**
 * Accumulates masked-token accuracy and both losses over batches of logits, so a large
 * evaluation set can go through the model in chunks. The per-chunk losses come from
 * src/core/articleLoss.ts (the project's one definition of the weighting) and are recombined
 * exactly: the elbo loss is a mean over rows, the plain loss a mean over masked positions.
 */
export class MaskedTokenScorer {
  private rows = 0;
  private maskedTokens = 0;
  private correct = 0;
  private elboSum = 0;
  private nllSum = 0;

  constructor(
    readonly vocabSize: number,
    readonly length: number,
  ) {}

  /**
   * logits [batch·L·V]; targets x0 [batch·L]; masked [batch·L] (1 where the input held [MASK]);
   * t [batch], the masking ratio of each row.
   */
  add(
    logits: ArrayLike<number>,
    targets: ArrayLike<number>,
    masked: ArrayLike<number>,
    t: ArrayLike<number>,
    batch: number,
  ): void {
    const { vocabSize: V, length: L } = this;
    if (targets.length !== batch * L || masked.length !== batch * L || t.length !== batch) {
      throw new Error(`expected ${batch} rows of ${L} targets and masks and ${batch} ratios`);
    }
    const common = { logits, targets, masked, batch, length: L, vocabSize: V, t };
    let maskedHere = 0;
    for (let j = 0; j < batch * L; j++) {
      if (!masked[j]) continue;
      maskedHere++;
      let best = 0;
      for (let v = 1; v < V; v++) if (logits[j * V + v] > logits[j * V + best]) best = v;
      if (best === targets[j]) this.correct++;
    }
    this.elboSum += maskedLossFromLogits({ ...common, weighting: 'elbo' }) * batch;
    this.nllSum += maskedLossFromLogits({ ...common, weighting: 'mean' }) * maskedHere;
    this.rows += batch;
    this.maskedTokens += maskedHere;
  }

  result(): MaskedTokenScores {
    const { rows, maskedTokens, correct } = this;
    return {
      rows,
      maskedTokens,
      correct,
      accuracy: maskedTokens ? correct / maskedTokens : 0,
      elboLoss: rows ? this.elboSum / rows : 0,
      meanLoss: maskedTokens ? this.nllSum / maskedTokens : 0,
    };
  }
}

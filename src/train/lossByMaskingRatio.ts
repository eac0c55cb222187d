/**
 * The loss by masking ratio: training rows grouped by their t into equal buckets over [0, 1],
 * each bucket keeping a bias-corrected exponential moving average of its rows' losses, so the
 * chart shows how hard the recent weights find each amount of masking. Plain data, so the
 * worker can post it and a checkpoint can store it.
 *
 * A row's loss here is its share of the batch loss times the batch size: what the row would
 * score as a batch of its own. With the article's 'elbo' weighting that is 1/(t·L) Σ of the
 * cross-entropy at its masked positions (about the loss per masked token); with 'mean' it is
 * the row's masked cross-entropy over the batch's average mask count, so rows with more masks
 * (a larger t) weigh more — which is exactly what that objective does.
 */

/** Buckets the panel shows: [0, 0.1), [0.1, 0.2), …, [0.9, 1]. */
export const RATIO_BUCKETS = 10;
/** Per-row decay of each bucket's average: about the last 1/(1 − β) = 50 rows of the bucket. */
export const RATIO_BETA = 0.98;

export interface LossByRatioState {
  /** Per bucket: the running average before bias correction, and its weight (1 − βⁿ). */
  average: number[];
  weight: number[];
  /** Rows that fell into each bucket so far. */
  rows: number[];
}

export interface RatioBucket {
  /** The bucket's t range [lo, hi) (the last one includes 1). */
  lo: number;
  hi: number;
  /** The moving average of the bucket's row losses; null before its first row. */
  loss: number | null;
  rows: number;
}

export function emptyLossByRatio(buckets = RATIO_BUCKETS): LossByRatioState {
  if (!Number.isInteger(buckets) || buckets < 1) {
    throw new Error(`the number of buckets must be a whole number ≥ 1, got ${buckets}`);
  }
  return {
    average: new Array<number>(buckets).fill(0),
    weight: new Array<number>(buckets).fill(0),
    rows: new Array<number>(buckets).fill(0),
  };
}

/** The bucket of a masking ratio t ∈ [0, 1]: ⌊t · buckets⌋, with t = 1 in the last bucket. */
export function bucketOf(t: number, buckets: number): number {
  return Math.min(buckets - 1, Math.max(0, Math.floor(t * buckets)));
}

/**
 * A new state with one step's rows added, in row order: row b has masking ratio t[b] and
 * share[b] of the batch loss (StepRecord.rowLoss), so its loss is share[b] · batch. Rows with a
 * non-finite t or loss are skipped (a diverging step is rolled back anyway).
 */
export function addStepRows(
  state: LossByRatioState,
  t: ArrayLike<number>,
  share: ArrayLike<number>,
  beta = RATIO_BETA,
): LossByRatioState {
  if (t.length !== share.length) {
    throw new Error(`${t.length} masking ratios for ${share.length} row losses`);
  }
  const next = {
    average: state.average.slice(),
    weight: state.weight.slice(),
    rows: state.rows.slice(),
  };
  const batch = t.length;
  const buckets = next.average.length;
  for (let b = 0; b < batch; b++) {
    const loss = share[b] * batch;
    if (!Number.isFinite(t[b]) || !Number.isFinite(loss)) continue;
    const k = bucketOf(t[b], buckets);
    next.average[k] = beta * next.average[k] + (1 - beta) * loss;
    next.weight[k] = beta * next.weight[k] + (1 - beta);
    next.rows[k]++;
  }
  return next;
}

/** What the chart draws: each bucket's range, bias-corrected average and row count. */
export function ratioBuckets(state: LossByRatioState): RatioBucket[] {
  const buckets = state.average.length;
  return state.average.map((average, k) => ({
    lo: k / buckets,
    hi: (k + 1) / buckets,
    loss: state.rows[k] > 0 ? average / state.weight[k] : null,
    rows: state.rows[k],
  }));
}

/** Throws, naming the problem, unless `value` is a state of `buckets` equal-length columns. */
export function checkLossByRatio(value: unknown): LossByRatioState {
  const s = value as Partial<LossByRatioState> | null;
  const column = (x: unknown) =>
    Array.isArray(x) && x.every((v) => typeof v === 'number' && Number.isFinite(v));
  if (!s || !column(s.average) || !column(s.weight) || !column(s.rows)) {
    throw new Error('the loss by masking ratio must hold finite average, weight and rows columns');
  }
  const n = s.average!.length;
  if (n < 1 || s.weight!.length !== n || s.rows!.length !== n) {
    throw new Error('the loss by masking ratio columns differ in length');
  }
  return { average: s.average!.slice(), weight: s.weight!.slice(), rows: s.rows!.slice() };
}

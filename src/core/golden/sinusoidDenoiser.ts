/**
 * The golden traces' mock model (shared/golden/README.md): for a sequence x of length N,
 *   S = Σ_j (j + 1) · x[j]   (exact integer)
 *   logits[i][v] = c · sin(a · (i + 1) · (v + 1) + b · S)
 * in float64, operations in that order. It depends on every token, so each call sees new logits.
 */
import type { Denoiser } from '../denoiser';
import type { LogitsModel } from '../sampler/driver';

export interface SinusoidParams {
  vocabSize: number;
  maskId: number;
  a: number;
  b: number;
  c: number;
}

/** The float64 logits of one sequence, [N × V]. */
export function sinusoidLogits(tokens: ArrayLike<number>, p: SinusoidParams): Float64Array {
  const n = tokens.length;
  let s = 0;
  for (let j = 0; j < n; j++) s += (j + 1) * tokens[j];
  const out = new Float64Array(n * p.vocabSize);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < p.vocabSize; v++) {
      out[i * p.vocabSize + v] = p.c * Math.sin(p.a * (i + 1) * (v + 1) + p.b * s);
    }
  }
  return out;
}

/**
 * The mock as a Denoiser (float32 logits, per the interface) with `exact`, the same model giving
 * float64 logits, which is what the goldens were made with. `exact` takes a block-causal prefix
 * as it is (`acceptsPrefix`): the formula is applied to the prefix alone, as upstream's model
 * was given it.
 */
export class SinusoidDenoiser implements Denoiser {
  readonly vocabSize: number;
  readonly maskId: number;
  readonly exact: LogitsModel;

  constructor(
    readonly params: SinusoidParams,
    readonly seqLen: number,
  ) {
    this.vocabSize = params.vocabSize;
    this.maskId = params.maskId;
    this.exact = {
      vocabSize: this.vocabSize,
      maskId: this.maskId,
      seqLen,
      acceptsPrefix: true,
      logits: async (tokens, batch) => this.logits64(tokens, batch, true),
    };
  }

  /**
   * Float64 logits for a batch; t is ignored (the mock is not time-conditioned). With `prefix`,
   * rows may be shorter than seqLen (every row of the batch as long as the others).
   */
  logits64(tokens: Int32Array, batch: number, prefix = false): Float64Array {
    const n = prefix ? tokens.length / batch : this.seqLen;
    if (tokens.length !== batch * n || !Number.isInteger(n) || n < 1 || n > this.seqLen) {
      throw new Error(
        `expected ${batch} × ${prefix ? `L (1 ≤ L ≤ ${this.seqLen})` : n} tokens, got ${tokens.length}`,
      );
    }
    const out = new Float64Array(batch * n * this.vocabSize);
    for (let b = 0; b < batch; b++) {
      out.set(
        sinusoidLogits(tokens.subarray(b * n, (b + 1) * n), this.params),
        b * n * this.vocabSize,
      );
    }
    return out;
  }

  async logits(tokens: Int32Array, batch: number): Promise<Float32Array> {
    return Float32Array.from(this.logits64(tokens, batch));
  }
}

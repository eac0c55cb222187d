/**
 * Contract 2 of ARCHITECTURE.md: anything that maps a batch of token windows (and optionally
 * the masking ratio t) to logits. The runtime implements it over onnxruntime-web; tests use
 * fakes such as the golden sinusoid mock.
 */
export interface Denoiser {
  readonly vocabSize: number;
  readonly seqLen: number;
  readonly maskId: number;
  /** tokens: [batch * L] row-major; t: [batch] (one ratio per row); returns [batch * L * V]. */
  logits(tokens: Int32Array, batch: number, t?: Float32Array): Promise<Float32Array>;
}

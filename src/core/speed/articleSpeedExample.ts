/**
 * The article's back-of-the-envelope speed comparison ("The Speed Revolution"): writing L tokens
 * takes L sequential forward passes for an autoregressive model and S for a diffusion model,
 * each pass of the diffusion model costing more (all L positions, bidirectional attention).
 */
export interface SpeedExample {
  /** Tokens to write. */
  length: number;
  /** ms per autoregressive forward pass. */
  arMsPerPass: number;
  /** Denoising steps of the diffusion model. */
  steps: number;
  /** ms per diffusion forward pass. */
  diffusionMsPerPass: number;
}

/** The article's numbers: L = 500, 5 ms per AR pass, S = 25 passes of 20 ms. */
export const ARTICLE_EXAMPLE: SpeedExample = {
  length: 500,
  arMsPerPass: 5,
  steps: 25,
  diffusionMsPerPass: 20,
};

export interface SpeedComparison {
  arPasses: number;
  arSeconds: number;
  diffusionPasses: number;
  diffusionSeconds: number;
  /** AR time / diffusion time. */
  speedup: number;
}

export function compareSpeed(e: SpeedExample): SpeedComparison {
  const arSeconds = (e.length * e.arMsPerPass) / 1000;
  const diffusionSeconds = (e.steps * e.diffusionMsPerPass) / 1000;
  return {
    arPasses: e.length,
    arSeconds,
    diffusionPasses: e.steps,
    diffusionSeconds,
    speedup: arSeconds / diffusionSeconds,
  };
}

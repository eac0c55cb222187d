import { describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { maskedDiffusionBatch, nextTokenBatch } from '../model/cpuTrainer';
import { buildParameterLayout } from '../model/parameterLayout';
import { tinyConfig } from '../model/testNetworks';
import { validateBatch } from './trainingProgram';

const layout = buildParameterLayout(tinyConfig()); // V = 7, seqLen = 5, time-conditioned
const x0 = Int32Array.from({ length: 10 }, (_, i) => 3 + (i % 4));
const good = () =>
  maskedDiffusionBatch(x0, 2, 5, { maskId: 0, rng: new Rng(1), weighting: 'elbo' });

describe('validateBatch', () => {
  it('accepts a masked-diffusion batch of the trainer’s shape', () => {
    expect(() => validateBatch(layout, 2, 5, good())).not.toThrow();
  });

  it('names a batch of another shape', () => {
    expect(() => validateBatch(layout, 3, 5, good())).toThrow(/built for batch 3 × length 5/);
  });

  it('names a token or a weighted target outside the vocabulary', () => {
    const b = good();
    b.tokens[3] = 7;
    expect(() => validateBatch(layout, 2, 5, b)).toThrow(/token id 7 at position 3/);
    const c = good();
    const n = c.weights.findIndex((w) => w === 0);
    c.weights[n] = 0.5; // a weighted position whose target is −1
    expect(() => validateBatch(layout, 2, 5, c)).toThrow(new RegExp(`target -1 at position ${n}`));
  });

  it('asks a time-conditioned network for t', () => {
    const b = nextTokenBatch(x0, 2, 5);
    expect(() => validateBatch(layout, 2, 5, b)).toThrow(/time-conditioned/);
  });
});

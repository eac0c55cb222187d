import { describe, expect, it } from 'vitest';
import type { Check } from './node/gpuTestKit';
import { runGpuScript } from './node/runGpuScript';

/**
 * Every WGSL kernel against the CPU reference of src/model in float64, on Dawn + SwiftShader in
 * a child process (kernelParity.ts); the matmul and the attention built on it in all three
 * variants (tiled through workgroup memory for GPUs; barrier-free for software adapters, with
 * scalar and with each of its four vec4 load layouts; and that with loads shared across a
 * subgroup). Fails with a message naming the package when SwiftShader (Debian's chromium) is
 * not installed.
 */
interface KernelReport {
  adapter: string;
  checks: Check[];
}

const MATMUL = ['registers', 'tiled', 'shared']
  .flatMap((v) => [
    `matmul ${v}: x·W + b`,
    `matmul ${v}: Xᵀ·dY accumulated`,
    `matmul ${v}: alpha·dY·Wᵀ at offsets`,
    `matmul ${v}: weight grad z=0`,
    `matmul ${v}: ones-row bias grad z=0`,
    `matmul ${v}: weight grad z=1`,
    `matmul ${v}: ones-row bias grad z=1`,
  ])
  .concat([
    'matmul tiled split-K: weight grad z=0',
    'matmul tiled split-K: ones-row bias grad z=0',
    'matmul tiled split-K: weight grad z=1',
    'matmul tiled split-K: ones-row bias grad z=1',
    'matmul tiled split-K: alpha·Xᵀ·dY accumulated',
    'matmul registers (vec4 kn): x·W + b',
    'matmul registers (vec4 kk): dY·Wᵀ, ragged N',
    'matmul registers (vec4 mn): Xᵀ·dY with ones row, z = 2',
    'matmul registers (vec4 mk): alpha·Xᵀ·Wᵀ accumulated',
  ]);

const ATTENTION = ['registers', 'tiled', 'shared'].flatMap((v) =>
  ['bidirectional', 'causal'].flatMap((a) =>
    ['weights', 'output', 'dq', 'dk', 'dv'].map((x) => `attention ${a} (${v}) ${x}`),
  ),
);

const EXPECTED = [
  ...MATMUL,
  'layerNorm forward y',
  'layerNorm forward xhat',
  'layerNorm forward rstd',
  'layerNorm backward dx (accumulated)',
  'layerNorm backward dgamma',
  'layerNorm backward dbeta',
  ...ATTENTION,
  'gelu forward',
  'gelu backward',
  'embedding forward',
  'embedding backward',
  'cross-entropy loss',
  'cross-entropy dLogits',
  ...['clipped', 'unclipped'].flatMap((c) => [
    `gradient norm (${c})`,
    `clip factor (${c})`,
    `adamw ${c}: params`,
    `adamw ${c}: m`,
    `adamw ${c}: v`,
  ]),
  'adamw NaN gradient: params untouched',
  'adamw NaN gradient: m untouched',
  'adamw NaN gradient: v untouched',
];

describe('WGSL kernels on SwiftShader', () => {
  it('match the CPU reference within 1e-4 (relative to each tensor’s scale)', async () => {
    const report = await runGpuScript<KernelReport>(
      new URL('./node/kernelParity.ts', import.meta.url),
    );
    expect(report.adapter).toMatch(/swiftshader/i);
    expect(report.checks.map((c) => c.name)).toEqual(EXPECTED);
    for (const c of report.checks) {
      expect(c.relError, `${c.name}: max error ${c.maxAbsError} at scale ${c.scale}`).toBeLessThan(
        1e-4,
      );
    }
    // A NaN gradient must leave the optimizer state bit-for-bit untouched.
    for (const c of report.checks.filter((x) => x.name.includes('untouched'))) {
      expect(c.maxAbsError, c.name).toBe(0);
    }
  });
});

/**
 * The goldens must bite: deliberately wrong samplers have to fail them. Each variant swaps one
 * rule of the sampler for a plausible mistake (the ones listed in shared/golden/README.md).
 */
import { describe, expect, it, vi } from 'vitest';
import { loadGoldens } from './goldenFiles.testutil';
import { replayGolden } from './replayGolden';

const variant = vi.hoisted(() => ({
  dreamRounds: false,
  laterBlocksCompete: false,
  positiveEntropy: false,
}));

vi.mock('../sampler/schedule', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/schedule')>();
  return {
    ...m,
    dreamTransferCount: (masks: number, i: number, ts: Float32Array) => {
      if (!variant.dreamRounds || i >= ts.length - 2) return m.dreamTransferCount(masks, i, ts);
      const f = Math.fround;
      return Math.round(f(f(masks) * f(1 - f(ts[i + 1] / ts[i]))));
    },
  };
});

vi.mock('../sampler/candidates', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/candidates')>();
  return {
    ...m,
    maskedCandidates: (state: Parameters<typeof m.maskedCandidates>[0], end: number) =>
      m.maskedCandidates(state, variant.laterBlocksCompete ? state.tokens.length : end),
  };
});

vi.mock('../sampler/confidence', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/confidence')>();
  return {
    ...m,
    negativeEntropy: (p: ArrayLike<number>) =>
      (variant.positiveEntropy ? -1 : 1) * m.negativeEntropy(p),
  };
});

const goldens = loadGoldens();

async function verdicts(prefix: string): Promise<boolean[]> {
  const matching = goldens.filter((g) => g.name.startsWith(prefix));
  expect(matching.length).toBeGreaterThan(0);
  return Promise.all(matching.map(async (g) => (await replayGolden(g.json)).pass));
}

describe('wrong sampler variants fail the goldens', () => {
  it('the unmodified sampler passes (the mocks are transparent when off)', async () => {
    expect((await verdicts('')).every(Boolean)).toBe(true);
  });

  it("Dream's count rounded instead of truncated", async () => {
    variant.dreamRounds = true;
    try {
      expect(await verdicts('dream-')).toEqual([false, false, false, false, false, false]);
    } finally {
      variant.dreamRounds = false;
    }
  });

  it('positions of later blocks allowed to compete', async () => {
    variant.laterBlocksCompete = true;
    try {
      // Only the files with more than one block can tell.
      expect(await verdicts('llada-lowconf-L16-S8-B4')).toEqual([false]);
      expect(await verdicts('llada-lowconf-L32-S16-B8')).toEqual([false]);
      expect(await verdicts('fastdllm-threshold-t0.7-L32-S32-B8')).toEqual([false]);
    } finally {
      variant.laterBlocksCompete = false;
    }
  });

  it('positive instead of negative entropy', async () => {
    variant.positiveEntropy = true;
    try {
      expect(await verdicts('dream-entropy')).toEqual([false, false]);
    } finally {
      variant.positiveEntropy = false;
    }
  });
});

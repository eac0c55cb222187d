/**
 * The goldens must bite: deliberately wrong samplers have to fail them. Each variant swaps one
 * rule of the sampler for a plausible mistake (the ones listed in shared/golden/README.md), and
 * is expected to fail exactly the files the README says can tell.
 *
 * Not written as variants: LLaDA2.1 editing prompt positions (step() refuses any edit of a
 * pinned position, so the mistake cannot be made), and the variants that need the whole block's
 * history (LLaDA2's floor schedule from the first block's masks, every call counted towards
 * max_post_steps, refilling DUS's remasked positions).
 */
import { describe, expect, it, vi } from 'vitest';
import { loadGoldens } from './goldenFiles.testutil';
import { replayGolden } from './replayGolden';

const variant = vi.hoisted(() => ({
  dreamRounds: false,
  laterBlocksCompete: false,
  positiveEntropy: false,
  // LLaDA2.0 / 2.1
  thresholdPathCapped: false,
  wholeCanvas: false,
  noMinimalTopKCap: false,
  remainderLast: false,
  noEditsWhileMasked: false,
  noPostCalls: false,
  postBoundInclusive: false,
  // EB-Sampler
  entropyInNats: false,
  ownEntropyCounts: false,
  ebBlocksFromZero: false,
  ebLaterBlocksFill: false,
  // DUS
  remaskLastLevel: false,
  noLevelMerge: false,
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
    maskedCandidates: (
      state: Parameters<typeof m.maskedCandidates>[0],
      end: number,
      start?: number,
    ) =>
      m.maskedCandidates(
        state,
        variant.laterBlocksCompete ? state.tokens.length : end,
        variant.ebLaterBlocksFill ? state.promptLength : start,
      ),
  };
});

vi.mock('../sampler/confidence', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/confidence')>();
  return {
    ...m,
    negativeEntropy: (p: ArrayLike<number>) =>
      (variant.positiveEntropy ? -1 : 1) * m.negativeEntropy(p),
    negativeEntropyBits: (p: ArrayLike<number>) =>
      variant.entropyInNats ? m.negativeEntropy(p) : m.negativeEntropyBits(p),
  };
});

vi.mock('../sampler/llada2Rules', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/llada2Rules')>();
  type Args<F extends (...a: never[]) => unknown> = Parameters<F>;
  return {
    ...m,
    llada2StepsPerBlock: (...a: Args<typeof m.llada2StepsPerBlock>) =>
      variant.noMinimalTopKCap ? a[0] : m.llada2StepsPerBlock(...a),
    llada2FloorSchedule: (...a: Args<typeof m.llada2FloorSchedule>) =>
      variant.remainderLast ? m.llada2FloorSchedule(...a).reverse() : m.llada2FloorSchedule(...a),
    thresholdOrFloor: (...a: Args<typeof m.thresholdOrFloor>) => {
      const r = m.thresholdOrFloor(...a);
      if (!variant.thresholdPathCapped || r.path !== 'threshold') return r;
      const [, confidence, , floor] = a;
      return {
        ...r,
        commit: r.commit.sort((x, y) => confidence[y] - confidence[x]).slice(0, floor),
      };
    },
    editedPositions: (...a: Args<typeof m.editedPositions>) => {
      const [state, , start, end] = a;
      let masks = 0;
      for (let i = start; i < end; i++)
        if (!state.pinned[i] && state.tokens[i] === state.maskId) masks++;
      return variant.noEditsWhileMasked && masks > 0 ? [] : m.editedPositions(...a);
    },
    postStepAllowed: (post: number, max: number) =>
      variant.noPostCalls
        ? false
        : variant.postBoundInclusive
          ? post < max
          : m.postStepAllowed(post, max),
  };
});

vi.mock('../sampler/strategies/llada2Threshold', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/strategies/llada2Threshold')>();
  const { inputLength, ...rest } = m.llada2Threshold;
  return {
    llada2Threshold: {
      ...rest,
      inputLength: (...a: Parameters<NonNullable<typeof inputLength>>) =>
        variant.wholeCanvas ? a[0].tokens.length : inputLength!(...a),
    },
  };
});

vi.mock('../sampler/entropyBound', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/entropyBound')>();
  return {
    ...m,
    entropyBoundCount: (sorted: readonly number[], gamma: number) => {
      if (!variant.ownEntropyCounts) return m.entropyBoundCount(sorted, gamma);
      let acc = 0;
      let k = 0;
      for (const h of sorted) if ((acc += h) <= gamma) k++;
      return Math.max(1, Math.min(k, sorted.length));
    },
  };
});

vi.mock('../sampler/state', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/state')>();
  return {
    ...m,
    blockRange: (...a: Parameters<typeof m.blockRange>): [number, number] => {
      const [state, options, b] = a;
      if (!variant.ebBlocksFromZero || options.strategy !== 'eb.entropy_bound')
        return m.blockRange(...a);
      const len = m.effectiveBlockLength(state, options);
      return [b * len, (b + 1) * len];
    },
  };
});

vi.mock('../sampler/dilatedLevels', async (importOriginal) => {
  const m = await importOriginal<typeof import('../sampler/dilatedLevels')>();
  return {
    ...m,
    dilatedLevels: (b: number, base: number, skip: number) =>
      m.dilatedLevels(b, base, skip, !variant.noLevelMerge),
    remasksAfterLevel: (level: number, count: number) =>
      variant.remaskLastLevel || m.remasksAfterLevel(level, count),
  };
});

const goldens = loadGoldens();

async function verdicts(prefix: string): Promise<boolean[]> {
  const matching = goldens.filter((g) => g.name.startsWith(prefix));
  expect(matching.length).toBeGreaterThan(0);
  return Promise.all(matching.map(async (g) => (await replayGolden(g.json)).pass));
}

/** The verdicts of the files starting with `prefix` with one variant switched on. */
async function withVariant(name: keyof typeof variant, prefix: string): Promise<boolean[]> {
  variant[name] = true;
  try {
    return await verdicts(prefix);
  } finally {
    variant[name] = false;
  }
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

  // shared/golden/newer-samplers, files in name order (the README's "detected by" lists).
  it('LLaDA2: only sched[t] tokens committed on the threshold path', async () => {
    expect(await withVariant('thresholdPathCapped', 'llada2-threshold')).toEqual([
      false,
      false,
      false,
    ]);
  });

  it('LLaDA2: the whole canvas given to the model instead of the prefix', async () => {
    // The single-block file (B28) cannot tell: its window is the whole canvas.
    expect(await withVariant('wholeCanvas', 'llada2-threshold')).toEqual([false, true, false]);
  });

  it('LLaDA2: the minimal_topk cap ignored, or the remainder given to the last steps', async () => {
    expect(await withVariant('noMinimalTopKCap', 'llada2-threshold')).toEqual([false, true, true]);
    expect(await withVariant('remainderLast', 'llada2-threshold')).toEqual([false, true, true]);
  });

  it('LLaDA2.1: no edits while masks remain, no post call', async () => {
    expect(await withVariant('noEditsWhileMasked', 'llada21-')).toEqual([false, false, false]);
    expect(await withVariant('noPostCalls', 'llada21-')).toEqual([false, false, false]);
  });

  it('LLaDA2.1: the post bound as post ≥ max_post_steps instead of >', async () => {
    // Only the -post3 file reaches its bound.
    expect(await withVariant('postBoundInclusive', 'llada21-')).toEqual([true, true, false]);
  });

  it('EB: entropy in nats, a candidate counting its own entropy, blocks from 0', async () => {
    expect(await withVariant('entropyInNats', 'eb-')).toEqual([false, false, false]);
    expect(await withVariant('ownEntropyCounts', 'eb-')).toEqual([false, false, false]);
    expect(await withVariant('ebBlocksFromZero', 'eb-')).toEqual([false, false, false]);
  });

  it('EB: a later block filling the masks an earlier block left', async () => {
    // Only the -S8-B8 file leaves masks in a block.
    expect(await withVariant('ebLaterBlocksFill', 'eb-')).toEqual([true, false, true]);
  });

  it('DUS: remasking at the last level, no merge of a short last level', async () => {
    expect(await withVariant('remaskLastLevel', 'dus-')).toEqual([false, false, false, true]);
    expect(await withVariant('noLevelMerge', 'dus-')).toEqual([false, true, true, true]);
  });
});

import { describe, expect, it } from 'vitest';
import { parseGolden, type GoldenFile } from './goldenFile';
import { loadGoldens } from './goldenFiles.testutil';
import { replayGolden } from './replayGolden';

const goldens = loadGoldens();

describe('golden traces', () => {
  it('are all there', () => {
    // shared/golden: 8 LLaDA, 2 Fast-dLLM, 6 Dream; newer-samplers/: 3 LLaDA2.0, 3 LLaDA2.1,
    // 3 EB-Sampler, 4 DUS. Fewer means a folder was not found whole.
    const count = (prefix: string) => goldens.filter((g) => g.name.startsWith(prefix)).length;
    expect(goldens.length).toBeGreaterThanOrEqual(29);
    expect(
      ['llada-', 'fastdllm-', 'dream-', 'llada2-', 'llada21-', 'eb-', 'dus-'].map(count),
    ).toEqual([8, 2, 6, 3, 3, 3, 4]);
  });

  for (const { name, json } of goldens) {
    it(`${name} replays call for call`, async () => {
      expect(await replayGolden(json)).toEqual({ pass: true });
    });
  }
});

describe('replayGolden catches differences', () => {
  const golden = goldens.find((g) => g.name.startsWith('llada-lowconf-L16-S8-B4'))!
    .json as GoldenFile;

  it('in a call output, naming the call and the position', async () => {
    const tampered = structuredClone(golden);
    const k = 3;
    const pos = tampered.calls[k].output.findIndex((t, i) => t !== tampered.calls[k].input[i]);
    tampered.calls[k].output[pos] = (tampered.calls[k].output[pos] % 31) + 1;
    const r = await replayGolden(tampered);
    expect(r).toEqual({
      pass: false,
      firstDifference: `call ${k}: output differs at position ${pos} (expected ${tampered.calls[k].output[pos]}, got ${golden.calls[k].output[pos]})`,
    });
  });

  it('in the number of calls', async () => {
    const tampered = structuredClone(golden);
    tampered.calls.push(tampered.calls.at(-1)!);
    const r = await replayGolden(tampered);
    expect(r.pass).toBe(false);
    expect(!r.pass && r.firstDifference).toMatch(/^call 8: 9 calls expected, the sampler made 8/);
  });

  it('when [MASK] is left out of the softmax and argmax', async () => {
    const failures = [];
    for (const { json } of goldens)
      failures.push((await replayGolden(json, { maskToken: 'suppress' })).pass);
    expect(failures.filter((pass) => !pass).length).toBeGreaterThan(goldens.length / 2);
  });

  it('refuses what it cannot replay, and what is not a golden', async () => {
    const sampled = structuredClone(golden);
    sampled.params.temperature = 0.5;
    expect(await replayGolden(sampled)).toMatchObject({
      pass: false,
      firstDifference: expect.stringMatching(/unsupported: params.temperature/),
    });
    expect(parseGolden({ schema: 'x' })).toEqual({
      ok: false,
      error: `schema is "x", expected 'dllm-golden/1'`,
    });
    expect((await replayGolden([])).pass).toBe(false);
  });
});

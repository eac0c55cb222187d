import { describe, expect, it } from 'vitest';
import { runBenchCli } from '../scripts/bench';
import { captureIo } from '../scripts/cli/captureIo.testutil';

describe('bench speed', () => {
  it('prints calls, ms, tokens/s per setting, and validity only where the weights are trained', async () => {
    const c = captureIo();
    const args = ['speed', '--lengths', '16,32', '--divisors', '1,8'];
    const tiny = ['--samples', '2', '--timing-samples', '1', '--warmup', '0'];
    expect(await runBenchCli([...args, ...tiny], c.io)).toBe(0);
    const records = c.out
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    const settings = [...new Set(records.map((r) => r.setting))];
    expect(settings).toEqual([
      'autoregressive L=16',
      'diffusion L=16 S=16',
      'diffusion L=16 S=2',
      'diffusion L=16 threshold 0.9',
      'autoregressive L=32',
      'diffusion L=32 S=32',
      'diffusion L=32 S=4',
    ]);
    const of = (setting: string, metric: string) =>
      records.find((r) => r.setting === setting && r.metric === metric);
    for (const r of records) {
      expect(Object.keys(r).slice(0, 4)).toEqual(['bench', 'metric', 'value', 'unit']);
      expect(r.trained).toBe(r.L === 16);
    }
    expect(of('diffusion L=16 S=2', 'calls').value).toBe(2);
    expect(of('diffusion L=32 S=4', 'calls').value).toBe(4);
    expect(of('autoregressive L=16', 'calls').value).toBe(15);
    expect(of('autoregressive L=32', 'calls').value).toBe(31);
    const ms = of('diffusion L=32 S=32', 'ms');
    const tps = of('diffusion L=32 S=32', 'tokens_per_second');
    expect(tps.value).toBeCloseTo((32 * 1000) / ms.value, 1);
    expect(of('autoregressive L=16', 'sample_validity')).toMatchObject({ unit: 'fraction', n: 2 });
    expect(of('diffusion L=32 S=4', 'sample_validity')).toBeUndefined();
    expect(records.filter((r) => r.metric === 'sample_validity')).toHaveLength(4);
  });

  it('refuses a pair that is not a model and its twin, and bad lists, with exit code 2', async () => {
    const c = captureIo();
    expect(await runBenchCli(['speed', '--twin', 'models/toy-sentences'], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(
      /^bench speed: toy-sentences is masked-diffusion, not autoregressive/,
    );
    const d = captureIo();
    expect(await runBenchCli(['speed', '--lengths', '16,x'], d.io)).toBe(2);
    expect(d.err.join('')).toMatch(/^bench speed: --lengths: .*got 'x'/);
  });
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runBenchCli } from '../scripts/bench';
import { trainingStages } from './reversal';
import { captureIo } from '../scripts/cli/captureIo.testutil';

const LLADA = fileURLToPath(new URL('../../shared/data/llada-poem-couplets.json', import.meta.url));
const tiny = [
  ...['--limit', '3', '--steps', '2', '--steps-twin', '2', '--warmup', '1'],
  ...['--d-model', '8', '--heads', '2', '--layers', '1', '--ffn', '16', '--batch', '4'],
];

describe('bench reversal', () => {
  it('trains both models, prints the four accuracies, the paper, times and the verdicts', async () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-reversal-test-'));
    const c = captureIo();
    expect(await runBenchCli(['reversal', '--data', LLADA, ...tiny, '--out', out], c.io)).toBe(0);
    const records = c.out
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(records.map((r) => [r.metric, r.model ?? null])).toEqual([
      ['forward', 'diffusion'],
      ['reversal', 'diffusion'],
      ['forward', 'autoregressive'],
      ['reversal', 'autoregressive'],
      ['paper', null],
      ['training_time', 'diffusion'],
      ['training_time', 'autoregressive'],
      ['evaluation_time', null],
      ['targets', null],
    ]);
    const [df, dr, af, ar] = records;
    for (const r of [df, dr, af, ar]) {
      expect(r).toMatchObject({ bench: 'reversal', unit: 'fraction', n: 3, couplets: 3 });
      expect(r.value).toBe(r.correct / 3);
    }
    // The verdicts follow from the values, whatever a 2-step model scores.
    expect(dr.met).toBe(dr.value >= 0.8 * df.value);
    expect(af.met).toBe(af.value >= 0.8);
    expect(ar.met).toBe(ar.value <= 0.1);
    expect(records[8].value).toBe(dr.met && af.met && ar.met);
    expect(records[4].reference['LLaDA 8B Instruct']).toEqual({ forward: 48.8, reversal: 42.4 });
    expect(records[4].reference['GPT-4o']).toEqual({ forward: 82.7, reversal: 34.3 });
    expect(records[5]).toMatchObject({
      unit: 's',
      steps: 2,
      source: 'this run (train CLI, wall clock)',
    });

    // --from evaluates the packages just written, with the same answers (greedy, same weights).
    const again = captureIo();
    const fromArgs = ['reversal', '--data', LLADA, '--limit', '3', '--from', out];
    expect(await runBenchCli(fromArgs, again.io)).toBe(0);
    const second = again.out
      .join('')
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(second.slice(0, 4).map((r) => r.value)).toEqual([df, dr, af, ar].map((r) => r.value));
    expect(second[5]).toMatchObject({ source: 'the package manifest (every stage)', steps: 2 });
    expect(second[5].stages).toHaveLength(1);
    fs.rmSync(out, { recursive: true, force: true });
  });

  it('refuses a bad couplet file with its problems in one line and exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-reversal-bad-'));
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify([{ first: 'ab' }]));
    const c = captureIo();
    expect(await runBenchCli(['reversal', '--data', file], c.io)).toBe(2);
    expect(c.err.join('')).toBe(
      `bench reversal: --data ${file}: entry 1: "second" must be a string, got missing\n`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('adds up the stages of a package trained with --init-from', () => {
    const training = {
      steps: 30,
      trainSeconds: 4,
      continuedFrom: { package: 'x', training: { steps: 100, trainSeconds: 9 } },
    };
    expect(trainingStages(training)).toEqual([
      { steps: 100, seconds: 9 },
      { steps: 30, seconds: 4 },
    ]);
  });
});

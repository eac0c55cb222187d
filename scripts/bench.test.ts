import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BENCHES, runBenchCli } from './bench';
import { captureIo } from './cli/captureIo.testutil';

describe('bench CLI', () => {
  it('refuses an unknown bench with one line and exit code 2', async () => {
    const c = captureIo();
    expect(await runBenchCli(['nonesuch'], c.io)).toBe(2);
    expect(c.out).toEqual([]);
    const known = BENCHES.map((b) => b.name).join(', ');
    expect(c.err.join('')).toBe(`bench: unknown bench 'nonesuch' (known: ${known}) (see --help)\n`);
  });

  it('runs nothing without a name and says which benches exist', async () => {
    const c = captureIo();
    expect(await runBenchCli([], c.io)).toBe(2);
    const known = BENCHES.map((b) => b.name).join(', ');
    expect(c.err.join('')).toBe(`bench: name a bench to run: ${known} (see --help)\n`);
    expect(known).toMatch(/^quality, generate, /);
  });

  it('lists every bench and its options under --help', async () => {
    const c = captureIo();
    expect(await runBenchCli(['--help'], c.io)).toBe(0);
    const text = c.out.join('');
    expect(text).toContain('usage: bench NAME [options]');
    expect(text).toContain('usage: bench quality [options]');
    expect(text).toContain('--samples <integer>');
    expect(text).toContain('usage: bench generate [options]');
    expect(text).toContain('--server <string>');
  });

  it('lets each bench refuse options it does not know, naming itself', async () => {
    const c = captureIo();
    expect(await runBenchCli(['quality', '--calls', '5'], c.io)).toBe(2);
    expect(c.err.join('')).toBe('bench quality: unknown option --calls (see --help)\n');
    const d = captureIo();
    expect(await runBenchCli(['generate', '--batches', '1,x'], d.io)).toBe(2);
    expect(d.err.join('')).toMatch(/^bench generate: --batches: .*got 'x' \(see --help\)\n$/);
  });

  it('refuses a package folder that is missing or broken with one line and exit 2', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-bench-'));
    fs.writeFileSync(path.join(dir, 'manifest.json'), '{"format": "unmask.model/1"}');
    const onnxless = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-bench-'));
    const manifest = JSON.parse(fs.readFileSync('models/toy-sentences/manifest.json', 'utf8'));
    fs.writeFileSync(path.join(onnxless, 'manifest.json'), JSON.stringify(manifest));
    const garbage = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-bench-'));
    fs.writeFileSync(path.join(garbage, 'manifest.json'), JSON.stringify(manifest));
    fs.writeFileSync(path.join(garbage, manifest.onnx), 'not an onnx model');
    const cases: [string, RegExp][] = [
      [
        '/nonexistent',
        /^bench quality: cannot read the package folder \/nonexistent: no such file or folder\n$/,
      ],
      [dir, /^bench quality: .*manifest\.json: "id" is missing .*; "title" is missing/],
      [
        onnxless,
        /^bench quality: cannot read the model \(named by the manifest\) .*model\.onnx: no such file or folder\n$/,
      ],
      [garbage, /^bench quality: .*model\.onnx: the model file is not an ONNX model/],
    ];
    for (const [model, expected] of cases) {
      const c = captureIo();
      expect(await runBenchCli(['quality', '--model', model], c.io)).toBe(2);
      const err = c.err.join('');
      expect(err).toMatch(expected);
      expect(err.trimEnd().split('\n')).toHaveLength(1);
      expect(c.out).toEqual([]);
    }
  });

  it('prints one JSON object per figure, with a target and its verdict where there is a bar', async () => {
    const c = captureIo();
    const args = ['quality', '--samples', '2', '--sentences', '20', '--unigram-windows', '50'];
    expect(await runBenchCli(args, c.io)).toBe(0);
    const lines = c.out.join('').trimEnd().split('\n');
    const records = lines.map((l) => JSON.parse(l));
    expect(records.map((r) => r.metric)).toEqual([
      'sample_validity',
      'masked_accuracy',
      'loss_elbo',
      'loss_masked_mean',
      'onnx_size',
    ]);
    for (const r of records) {
      expect(Object.keys(r).slice(0, 4)).toEqual(['bench', 'metric', 'value', 'unit']);
      expect(r.bench).toBe('quality');
    }
    const [validity, accuracy, elbo] = records;
    expect(validity).toMatchObject({ unit: 'fraction', target: '>= 0.9', n: 2, provider: 'wasm' });
    expect(validity.met).toBe(validity.value >= 0.9);
    expect(accuracy).toMatchObject({ n: 20, t: 0.5 });
    expect(accuracy.baseline).toBeGreaterThanOrEqual(0);
    expect(elbo.baseline).toBeGreaterThan(0);
    const size = records[4];
    expect(size).toMatchObject({ unit: 'bytes', target: '< 8000000' });
    expect(size.met).toBe(size.value < 8_000_000);
  });
});

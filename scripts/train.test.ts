import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../src/model/manifest';
import { readOnnxModel } from '../src/model/onnx/readOnnxModel';
import { runTrainCli } from './train';
import { captureIo } from './cli/captureIo.testutil';

const tiny = [
  '--d-model',
  '8',
  '--heads',
  '2',
  '--layers',
  '1',
  '--ffn',
  '16',
  '--batch',
  '4',
  '--warmup',
  '1',
];

describe('npm run train', () => {
  it('rejects unknown options and bad values with one line and exit 2', async () => {
    for (const argv of [
      ['--bogus', '1'],
      ['--steps', 'ten'],
      ['--kind', 'gpt'],
      ['--d-model', '10', '--heads', '4'],
    ]) {
      const c = captureIo();
      expect(await runTrainCli(argv, c.io)).toBe(2);
      expect(c.err.join('').trim().split('\n')).toHaveLength(1);
    }
  });

  it('refuses a package --init-from cannot read, an empty or path-like --id and --gpu-adapter without --trainer webgpu: one line, exit 2, nothing written', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-train-bad-'));
    const broken = path.join(dir, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'manifest.json'), '{ not json');
    const cases: [string[], RegExp][] = [
      [
        ['--init-from', '/nonexistent'],
        /^train: --init-from: cannot read the package folder \/nonexistent: no such file or folder$/,
      ],
      [['--init-from', broken], /^train: --init-from: .*manifest\.json is not valid JSON: /],
      [['--id', ''], /^train: --id must not be empty \(see --help\)$/],
      [['--id', '../elsewhere'], /^train: --id must be a folder name/],
      [
        ['--gpu-adapter', 'native'],
        /^train: --gpu-adapter is for --trainer webgpu; the cpu trainer/,
      ],
    ];
    for (const [argv, expected] of cases) {
      const c = captureIo();
      expect(await runTrainCli([...tiny, '--steps', '1', '--out', dir, ...argv], c.io)).toBe(2);
      const lines = c.err.join('').trimEnd().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(expected);
      expect(c.out).toEqual([]);
    }
    expect(fs.readdirSync(dir)).toEqual(['broken']);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes a package that keeps Contract 1, and the same seed gives the same bytes on 1 or 2 threads', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-train-'));
    const run = async (id: string, workers: number) => {
      const c = captureIo();
      const args = [
        ...tiny,
        '--id',
        id,
        '--steps',
        '3',
        '--workers',
        String(workers),
        '--eval-samples',
        '2',
        '--out',
        dir,
      ];
      expect(await runTrainCli(args, c.io)).toBe(0);
      return fs.readFileSync(path.join(dir, id, 'model.onnx'));
    };
    // One thread or two: the same shards are summed in the same order, so the weights agree.
    const a = await run('a', 1);
    const b = await run('b', 2);
    expect(Buffer.compare(a, b)).toBe(0);
    const manifest = parseManifest(
      JSON.parse(fs.readFileSync(path.join(dir, 'a', 'manifest.json'), 'utf8')),
    );
    expect(manifest.vocab).toHaveLength(147);
    expect(manifest.io).toEqual({ tokens: 'tokens', t: 't', logits: 'logits', tokenType: 'int32' });
    const training = manifest.training as {
      steps: number;
      lossCurve: unknown[];
      sampleValidity: number;
    };
    expect(training.steps).toBe(3);
    expect(training.lossCurve).toHaveLength(1);
    expect(training.sampleValidity).toBeGreaterThanOrEqual(0);
    const summary = readOnnxModel(new Uint8Array(a));
    expect(summary.inputs.map((v) => v.name)).toEqual(['tokens', 't']);
    expect(summary.opset).toBeGreaterThanOrEqual(17);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('--eval-every records a validity curve and --until-valid stops at the first measurement that reaches it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-train-until-'));
    const train = async (id: string, extra: string[]) => {
      const c = captureIo();
      const args = [...tiny, '--id', id, '--out', dir, '--steps', '5', '--eval-samples', '3'];
      expect(await runTrainCli([...args, '--log-every', '1', ...extra], c.io)).toBe(0);
      const m = parseManifest(
        JSON.parse(fs.readFileSync(path.join(dir, id, 'manifest.json'), 'utf8')),
      );
      return { training: m.training as Record<string, unknown>, err: c.err.join('') };
    };
    type Curve = { every: number; points: { step: number; seconds: number; validity: number }[] };

    // Any validity reaches 0: the first measurement (step 2) stops the run.
    const early = await train('early', ['--eval-every', '2', '--until-valid', '0']);
    expect(early.training).toMatchObject({ steps: 2, stepsPlanned: 5 });
    expect(early.training.untilValid).toMatchObject({ target: 0, met: true, step: 2 });
    const earlyCurve = early.training.validityCurve as Curve;
    expect(earlyCurve.points.map((p) => p.step)).toEqual([2]);
    // The loss curve ends at the step the run stopped at, with that step's scheduled rate.
    const losses = early.training.lossCurve as { step: number }[];
    expect(losses.map((p) => p.step)).toEqual([1, 2]);
    expect(early.err).toMatch(/reached 0\.0% at step 2: stopping/);

    // A tiny model after 5 steps writes no perfect set of samples: it runs to the end,
    // measured at 2, 4 and the last step, and the end-of-run figure is the last point's.
    const full = await train('full', ['--eval-every', '2', '--until-valid', '1']);
    expect(full.training.steps).toBe(5);
    expect(full.training.stepsPlanned).toBeUndefined();
    const curve = full.training.validityCurve as Curve;
    expect(curve.every).toBe(2);
    expect(curve.points.map((p) => p.step)).toEqual([2, 4, 5]);
    expect(full.training.untilValid).toEqual({
      target: 1,
      met: false,
      step: null,
      trainSeconds: null,
      wallSeconds: null,
    });
    expect(full.training.sampleValidity).toBe(curve.points[2].validity);
    expect(full.err.match(/measuring sample validity/g)).toBeNull();
    const seconds = curve.points.map((p) => p.seconds);
    expect([...seconds].sort((a, b) => a - b)).toEqual(seconds);
    expect(full.training.wallSeconds as number).toBeGreaterThanOrEqual(
      full.training.trainSeconds as number,
    );

    // Without --eval-every nothing changes in the record.
    const plain = await train('plain', []);
    expect(plain.training.validityCurve).toBeUndefined();
    expect(plain.training.untilValid).toBeUndefined();

    for (const [bad, reason] of [
      [['--until-valid', '0.9'], /--until-valid needs --eval-every/],
      [['--eval-every', '2', '--eval-samples', '0'], /need --eval-samples > 0/],
      [['--eval-every', '2', '--kind', 'autoregressive'], /masked-diffusion on a toy grammar/],
      [['--eval-every', '2', '--until-valid', '1.5'], /--until-valid/],
    ] as const) {
      const e = captureIo();
      expect(await runTrainCli([...bad, '--out', dir], e.io)).toBe(2);
      expect(e.err.join('')).toMatch(reason);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('trains on couplets from a file (or the built-in set) and records exact match', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-train-couplets-'));
    const data = path.join(dir, 'couplets.json');
    fs.writeFileSync(
      data,
      JSON.stringify([
        { first: 'ab', second: 'cd' },
        { first: 'b', second: 'a' },
      ]),
    );
    const c = captureIo();
    const args = [...tiny, '--corpus', 'couplets', '--data', data, '--kind', 'autoregressive'];
    expect(
      await runTrainCli(
        [...args, '--steps', '2', '--id', 'twin', '--out', dir, '--eval-samples', '2'],
        c.io,
      ),
    ).toBe(0);
    const manifest = parseManifest(
      JSON.parse(fs.readFileSync(path.join(dir, 'twin', 'manifest.json'), 'utf8')),
    );
    expect(manifest.kind).toBe('autoregressive');
    expect(manifest.seqLen).toBe(6);
    expect(manifest.vocab).toEqual(['[MASK]', '[PAD]', '[EOS]', '[SEP]', 'a', 'b', 'c', 'd']);
    expect(manifest.title).toBe('Couplets (autoregressive twin)');
    expect(manifest.training).toMatchObject({
      corpus: 'couplets',
      data: 'couplets.json',
      couplets: 2,
    });
    const exact = manifest.training!.exactMatch as { forward: number; couplets: number };
    expect(exact.couplets).toBe(2);
    expect(exact.forward).toBeGreaterThanOrEqual(0);

    for (const [bad, reason] of [
      [['--data', data], /--data and --with-built-in are for --corpus couplets/],
      [['--corpus', 'couplets', '--with-built-in'], /--with-built-in needs --data/],
      [['--corpus', 'couplets', '--data', path.join(dir, 'none.json')], /ENOENT/],
    ] as const) {
      const e = captureIo();
      expect(await runTrainCli([...bad, '--out', dir], e.io)).toBe(2);
      expect(e.err.join('')).toMatch(reason);
    }
    fs.writeFileSync(data, '[{"first": 1, "second": "x"}]');
    const e = captureIo();
    expect(await runTrainCli(['--corpus', 'couplets', '--data', data], e.io)).toBe(2);
    expect(e.err.join('')).toBe(
      `train: --data ${data}: entry 1: "first" must be a string, got a number\n`,
    );
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

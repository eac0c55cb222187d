import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { GOLDEN_DIR, NEWER_GOLDEN_DIR } from '../src/core/golden/goldenFiles.testutil';
import { runGoldenCli } from './golden';
import { captureIo } from './cli/captureIo.testutil';

describe('golden CLI', () => {
  it('passes every shared golden of both folders, one line per file, sorted per folder', async () => {
    const c = captureIo();
    expect(await runGoldenCli([GOLDEN_DIR, NEWER_GOLDEN_DIR], c.io)).toBe(0);
    const lines = c.out.join('').trimEnd().split('\n');
    const files = lines.slice(0, -1);
    expect(files.every((l) => l.startsWith('PASS '))).toBe(true);
    // shared/golden (16 files), then newer-samplers/ (13): each folder in name order.
    const older = files.slice(0, 16);
    const newer = files.slice(16);
    expect(older).toEqual([...older].sort());
    expect(newer).toEqual([...newer].sort());
    expect(newer.every((l) => /^PASS (llada2|llada21|eb|dus)-/.test(l))).toBe(true);
    expect(lines.at(-1)).toBe('29 passed, 0 failed');
  });

  it('reports the first differing call and exits 1', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'golden-'));
    const name = 'llada-lowconf-L16-S4-B16-p1.json';
    const golden = JSON.parse(readFileSync(path.join(GOLDEN_DIR, name), 'utf8'));
    golden.calls[1].output[3] = 9; // was 8
    writeFileSync(path.join(dir, 'bad.json'), JSON.stringify(golden));
    writeFileSync(path.join(dir, 'not-json.json'), '{');
    const c = captureIo();
    expect(await runGoldenCli([dir, path.join(GOLDEN_DIR, name)], c.io)).toBe(1);
    const lines = c.out.join('').trimEnd().split('\n');
    expect(lines[0]).toBe(
      'FAIL bad.json: call 1: output differs at position 3 (expected 9, got 8)',
    );
    expect(lines[1]).toMatch(/^FAIL not-json\.json: not JSON \(.+\)$/);
    expect(lines.slice(2)).toEqual([`PASS ${name}`, '1 passed, 2 failed']);
  });

  it('exits 2 with one line for bad arguments or unreadable paths', async () => {
    for (const argv of [[], ['/no/such/golden.json'], ['--nope', GOLDEN_DIR]]) {
      const c = captureIo();
      expect(await runGoldenCli(argv, c.io)).toBe(2);
      expect(c.out).toEqual([]);
      expect(c.err.join('').trimEnd().split('\n')).toHaveLength(1);
    }
  });
});

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

  it('says a binary file is not a golden trace in one printable line, never its raw bytes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'golden-bin-'));
    writeFileSync(
      path.join(dir, 'a.json'),
      Uint8Array.of(0x7b, 0x00, 0x01, 0x1b, 0x5b, 0x32, 0x4a),
    );
    writeFileSync(path.join(dir, 'b.json'), Uint8Array.of(0x7b, 0xff, 0xfe, 0x7d));
    writeFileSync(path.join(dir, 'c.json'), '\u001b[2J{"a": 1}');
    const c = captureIo();
    expect(await runGoldenCli([dir], c.io)).toBe(1);
    const text = c.out.join('');
    // No control character at all reaches the terminal (NUL, ESC…), only newlines.
    const controls = [...text].filter((ch) => ch !== '\n' && ch.charCodeAt(0) < 0x20);
    expect(controls).toEqual([]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'FAIL a.json: a binary file (a NUL byte at offset 1), not a JSON golden trace',
    );
    expect(lines[1]).toBe('FAIL b.json: not UTF-8 text, so not a JSON golden trace');
    expect(lines[2]).toMatch(/^FAIL c\.json: not JSON \(.*\\u001b.*\)$/);
    expect(lines[3]).toBe('0 passed, 3 failed');
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

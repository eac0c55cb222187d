import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  MAX_ONNX_BYTES,
  PackageFileError,
  readUserPackage,
  type DownloadProgress,
} from './modelPackage';

const FIXTURE = path.resolve(import.meta.dirname, '../../e2e/fixtures/article-diffusionlm');
const manifestFile = new File(
  [fs.readFileSync(path.join(FIXTURE, 'manifest.json'))],
  'manifest.json',
);

/** A file of the given size whose bytes must never be touched. */
function untouchable(name: string, size: number): File {
  const touched = () => {
    throw new Error(`${name} was read`);
  };
  return { name, size, stream: touched, arrayBuffer: touched, text: touched } as unknown as File;
}

describe('reading a person’s own package', () => {
  it('refuses a model above the stated limit before reading a byte of either file', async () => {
    const huge = untouchable('big.onnx', 1024 * 1024 * 1024);
    const manifest = untouchable('manifest.json', 2_000);
    const error = await readUserPackage(huge, manifest).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PackageFileError);
    const { summary, problems } = error as PackageFileError;
    expect(summary).toBe('Nothing was read: the files are too large.');
    expect(problems).toEqual([
      'the model file big.onnx is 1024.0 MB; the page opens models of at most 512.0 MB (onnxruntime-web holds a model in WebAssembly memory of at most 4 GB, and opening one needs its bytes about three times over)',
    ]);
    // One byte over is refused, the limit itself is not.
    await expect(
      readUserPackage(untouchable('x.onnx', MAX_ONNX_BYTES + 1), manifest),
    ).rejects.toThrow(/at most 512\.0 MB/);
  });

  it('refuses a manifest of model size (the two files swapped) unread', async () => {
    const error = (await readUserPackage(
      untouchable('model.onnx', 1000),
      untouchable('model.json', 300 * 1024 * 1024),
    ).catch((e: unknown) => e)) as PackageFileError;
    expect(error.problems).toEqual([
      'the manifest model.json is 300.0 MB; a manifest is at most 16.0 MB (did you choose the model as the manifest?)',
    ]);
  });

  it('reads the model in chunks, reporting progress up to the whole file, and keeps every byte', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024 + 17).map((_, i) => (i * 31) & 0xff);
    // Chunks of 256 KB, and a clock that advances 60 ms a read: progress every other chunk.
    const chunk = 256 * 1024;
    const file = {
      name: 'model.onnx',
      size: bytes.length,
      stream: () =>
        new ReadableStream<Uint8Array>({
          start(controller) {
            for (let at = 0; at < bytes.length; at += chunk) {
              controller.enqueue(bytes.slice(at, at + chunk));
            }
            controller.close();
          },
        }),
    } as unknown as File;
    let clock = 0;
    const seen: DownloadProgress[] = [];
    const pkg = await readUserPackage(
      file,
      manifestFile,
      (p) => seen.push(p),
      () => (clock += 60),
    );
    expect(new Uint8Array(pkg.onnx)).toEqual(bytes);
    expect(pkg.source).toBe('model.onnx');
    expect(pkg.manifest.id).toBe('article-diffusionlm');
    const loaded = seen.map((p) => p.loaded);
    expect(loaded[0]).toBe(0);
    expect(loaded.at(-1)).toBe(bytes.length);
    expect(seen.every((p) => p.total === bytes.length && !p.fromCache)).toBe(true);
    // In between, the reads that the clock lets through: more than the two ends, fewer than a
    // report per chunk, never going back.
    expect(loaded.length).toBeGreaterThan(4);
    expect(loaded.length).toBeLessThan(Math.ceil(bytes.length / chunk) + 2);
    expect([...loaded].sort((a, b) => a - b)).toEqual(loaded);
  });
});

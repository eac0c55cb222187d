import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fetchGzipped, isGzip } from './gzippedFetch';

const original = new Uint8Array(5000).map((_, i) => (i * 37 + (i >> 7)) & 0xff);
const served = (body: Uint8Array<ArrayBuffer>, status = 200) =>
  (async () =>
    new Response(body, {
      status,
      statusText: status === 200 ? 'OK' : 'Not Found',
    })) as typeof fetch;

describe('fetchGzipped', () => {
  it('inflates a gzipped file to its original bytes', async () => {
    const gz = new Uint8Array(gzipSync(original, { level: 9 }));
    expect(isGzip(gz)).toBe(true);
    expect(gz.length).toBeLessThan(original.length);
    expect(await fetchGzipped('/x.wasm.gz', served(gz))).toEqual(original);
  });

  it('passes through bytes the browser already inflated (Content-Encoding: gzip)', async () => {
    const wasm = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 1, 0, 0, 0]);
    expect(isGzip(wasm)).toBe(false);
    expect(await fetchGzipped('/x.wasm.gz', served(wasm))).toEqual(wasm);
  });

  it('names the file and the status when the download fails', async () => {
    await expect(fetchGzipped('/assets/x.wasm.gz', served(new Uint8Array(), 404))).rejects.toThrow(
      'could not download /assets/x.wasm.gz: HTTP 404 Not Found',
    );
  });

  it('refuses a truncated gzip stream', async () => {
    const gz = new Uint8Array(gzipSync(original));
    await expect(fetchGzipped('/x.gz', served(gz.subarray(0, gz.length - 20)))).rejects.toThrow();
  });
});

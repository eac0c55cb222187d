import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { noRawOrtWasm } from './gzippedAssets';

const dist = path.resolve(import.meta.dirname, '../../node_modules/onnxruntime-web/dist');
type Transform = (code: string, id: string) => { code: string } | null;
const transform = noRawOrtWasm().transform as unknown as Transform;

describe('noRawOrtWasm', () => {
  // The two bundles the inference worker imports (onnxruntime-web/wasm and /webgpu).
  for (const file of ['ort.wasm.bundle.min.mjs', 'ort.webgpu.bundle.min.mjs']) {
    it(`leaves no .wasm URL in ${file} for Vite to copy into the build`, () => {
      const id = path.join(dist, file);
      const code = fs.readFileSync(id, 'utf8');
      const urls = code.match(/new URL\(["']ort-wasm-[\w.-]*\.wasm["'],\s*import\.meta\.url\)/g);
      expect(urls?.length).toBeGreaterThan(0);
      const out = transform(code, id)!.code;
      expect(out).not.toMatch(/new URL\(["']ort-wasm-[\w.-]*\.wasm["']/);
      // Each became the bare file name (a string ORT never fetches here: wasmBinary is set)
      // and nothing else changed.
      expect(out.replace(/"ort-wasm-[\w.-]*\.wasm"/g, '')).toBe(
        code
          .replace(/new URL\(["']ort-wasm-[\w.-]*\.wasm["'],\s*import\.meta\.url\)(\.href)?/g, '')
          .replace(/"ort-wasm-[\w.-]*\.wasm"/g, ''),
      );
    });
  }

  it('does not touch other modules', () => {
    const code = `const u = new URL("ort-wasm-simd-threaded.wasm", import.meta.url);`;
    expect(transform(code, '/src/runtime/ortWeb.ts')).toBeNull();
  });
});

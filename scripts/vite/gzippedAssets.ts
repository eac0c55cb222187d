import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

/** Import suffix: `import url from 'pkg/file.wasm?gzip-url'` is the URL of file.wasm, gzipped. */
const SUFFIX = '?gzip-url';
const PREFIX = '\0gzip-url:';
const DEV_ROUTE = '/@gzip-url/';

/**
 * Serves and ships a file gzipped, whatever the host does: onnxruntime-web's .wasm (14 and
 * 27 MB) are a quarter of that gzipped, but `vite preview` and many static hosts send
 * application/wasm uncompressed. The page fetches the .gz and inflates it itself
 * (src/runtime/gzippedFetch.ts). The build emits only the .gz (level 9); the dev server gzips
 * on first request (level 1, fast) and keeps it in memory.
 */
export function gzippedAssets(): Plugin {
  let serve = false;
  const devFiles = new Map<string, string>();
  const devBytes = new Map<string, Buffer>();
  return {
    name: 'unmask-gzipped-assets',
    enforce: 'pre',
    configResolved(config) {
      serve = config.command === 'serve';
    },
    async resolveId(source, importer) {
      if (!source.endsWith(SUFFIX)) return null;
      const resolved = await this.resolve(source.slice(0, -SUFFIX.length), importer, {
        skipSelf: true,
      });
      if (!resolved) throw new Error(`gzip-url: cannot resolve ${source}`);
      return PREFIX + resolved.id.split('?')[0];
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const file = id.slice(PREFIX.length);
      const name = `${path.basename(file)}.gz`;
      if (serve) {
        const key = crypto.createHash('sha256').update(file).digest('hex').slice(0, 12);
        const url = `${DEV_ROUTE}${key}/${name}`;
        devFiles.set(url, file);
        return `export default ${JSON.stringify(url)};`;
      }
      const source = zlib.gzipSync(fs.readFileSync(file), { level: 9 });
      const ref = this.emitFile({ type: 'asset', name, source });
      return `export default import.meta.ROLLUP_FILE_URL_${ref};`;
    },
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        const url = (req.url ?? '').split('?')[0];
        const file = devFiles.get(url);
        if (!file) return next();
        let bytes = devBytes.get(url);
        if (!bytes) {
          bytes = zlib.gzipSync(fs.readFileSync(file), { level: 1 });
          devBytes.set(url, bytes);
        }
        res.setHeader('Content-Type', 'application/gzip');
        res.setHeader('Content-Length', String(bytes.length));
        res.end(bytes);
      });
    },
  };
}

/**
 * onnxruntime-web's bundles name their default .wasm as `new URL('ort-wasm-….wasm',
 * import.meta.url)` (used only when no wasmPaths or wasmBinary is given, and by its proxy
 * worker, which this app does not use), and Vite copies every file so named into the build:
 * 41 MB of .wasm that nothing loads once the page inflates the gzipped copies. This drops those
 * URLs, and the build fails if a raw onnxruntime-web .wasm is emitted all the same (a new ORT
 * release spelling it another way).
 */
export function noRawOrtWasm(): Plugin {
  const url = /new URL\((["'])(ort-wasm-[\w.-]*\.wasm)\1,\s*import\.meta\.url\)(\.href)?/g;
  return {
    name: 'unmask-no-raw-ort-wasm',
    enforce: 'pre',
    transform(code, id) {
      if (!/onnxruntime-web[\\/]dist[\\/][^?]*\.m?js(\?|$)/.test(id)) return null;
      // The name as a plain string: what locateFile would be asked for; never fetched here.
      const out = code.replace(url, (_m, _q, name: string) => JSON.stringify(name));
      return out === code ? null : { code: out, map: null };
    },
    generateBundle(_options, bundle) {
      const raw = Object.keys(bundle).filter((f) => /ort-wasm-[^/]*\.wasm$/.test(f));
      if (raw.length) {
        this.error(
          `raw onnxruntime-web .wasm in the build (${raw.join(', ')}): the page loads the gzipped copies (scripts/vite/gzippedAssets.ts)`,
        );
      }
    },
  };
}

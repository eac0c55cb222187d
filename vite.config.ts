import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { gzippedAssets, noRawOrtWasm } from './scripts/vite/gzippedAssets.ts';
import fs from 'node:fs';
import path from 'node:path';

// Cross-origin isolation lets onnxruntime-web use WASM threads (SharedArrayBuffer).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const modelsDir = path.resolve(import.meta.dirname, 'models');

/** The packages under models/: every folder holding a manifest.json. */
function listPackages(): string[] {
  if (!fs.existsSync(modelsDir)) return [];
  return fs
    .readdirSync(modelsDir)
    .filter((id) => fs.existsSync(path.join(modelsDir, id, 'manifest.json')))
    .sort();
}

/**
 * Serves models/ at /models/ (dev and preview) and copies it into the build, with a generated
 * /models/index.json listing the shipped packages, so models stay at the top of the repo.
 */
function modelPackages(): Plugin {
  const middleware = (
    req: { url?: string },
    res: {
      setHeader(k: string, v: string): void;
      end(b?: string | Buffer): void;
      statusCode: number;
    },
    next: () => void,
  ) => {
    const url = decodeURIComponent((req.url ?? '').split('?')[0]);
    if (!url.startsWith('/models/')) return next();
    if (url === '/models/index.json') {
      res.setHeader('Content-Type', 'application/json');
      return res.end(JSON.stringify({ packages: listPackages() }));
    }
    const file = path.resolve(modelsDir, url.slice('/models/'.length));
    if (
      !file.startsWith(modelsDir + path.sep) ||
      !fs.existsSync(file) ||
      !fs.statSync(file).isFile()
    ) {
      res.statusCode = 404;
      return res.end('not found');
    }
    res.setHeader(
      'Content-Type',
      file.endsWith('.json') ? 'application/json' : 'application/octet-stream',
    );
    res.end(fs.readFileSync(file));
  };
  return {
    name: 'unmask-model-packages',
    configureServer(server) {
      server.middlewares.use(middleware);
    },
    configurePreviewServer(server) {
      server.middlewares.use(middleware);
    },
    generateBundle() {
      const packages = listPackages();
      this.emitFile({
        type: 'asset',
        fileName: 'models/index.json',
        source: JSON.stringify({ packages }),
      });
      for (const id of packages) {
        for (const name of fs.readdirSync(path.join(modelsDir, id))) {
          this.emitFile({
            type: 'asset',
            fileName: `models/${id}/${name}`,
            source: fs.readFileSync(path.join(modelsDir, id, name)),
          });
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), modelPackages(), gzippedAssets(), noRawOrtWasm()],
  // onnxruntime-web ships its own .wasm and worker glue; pre-bundling breaks their URLs.
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['onnx-proto'] },
  server: { headers: isolationHeaders, host: '127.0.0.1' },
  preview: { headers: isolationHeaders, host: '127.0.0.1' },
  // Worker bundles get plugins of their own (the inference worker imports ORT's .wasm?gzip-url).
  worker: { format: 'es', plugins: () => [gzippedAssets(), noRawOrtWasm()] },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
    rolldownOptions: {
      // KaTeX (Explore's formulas, 260 kB) is a chunk of its own, fetched beside Explore's.
      output: {
        codeSplitting: { groups: [{ name: 'katex', test: /node_modules[\\/]katex[\\/]/ }] },
      },
    },
  },
});

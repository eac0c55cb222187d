/**
 * `bench -- train --host node` runs from one ES module bundled here (esbuild), not under tsx:
 * TensorFlow.js's gradient registry exists only as extensionless ES modules, which Node's own
 * loader refuses. The bundle holds the bench and TensorFlow.js; it imports only `webgpu` (Dawn's
 * native addon), reads TensorFlow.js-WASM's .wasm files from a node_modules folder above it,
 * and onnxruntime-web's WASM build from beside it (copied there).
 *
 * `npx tsx bench/nodeTrainBundle.ts OUT.mjs` writes the bundle alone (scripts/gpu-machine packs
 * it with Node and Dawn for a machine that has a GPU and no browser).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { build } from 'esbuild';
import { isMainModule } from '../scripts/cli/isMainModule';

export const NODE_TRAIN_ENTRY = path.resolve(import.meta.dirname, 'nodeTrainCli.ts');

/** Where a local run keeps its bundle: under node_modules, so `webgpu` resolves from it. */
export const LOCAL_BUNDLE = path.resolve(
  import.meta.dirname,
  '../node_modules/.cache/unmask/train-bench.mjs',
);

/**
 * onnxruntime-web's files that Node loads from beside the bundle: the plain WASM build (train's
 * validity measurements, through the bundled Node build; generate's WASM figures) and the
 * WebGPU one, with the two browser bundles that generate imports from there
 * (nodeGenerateBench.ts says why they are not bundled).
 */
export const ORT_WASM_FILES = [
  'ort-wasm-simd-threaded.mjs',
  'ort-wasm-simd-threaded.wasm',
  'ort-wasm-simd-threaded.asyncify.mjs',
  'ort-wasm-simd-threaded.asyncify.wasm',
  'ort.wasm.bundle.min.mjs',
  'ort.webgpu.bundle.min.mjs',
];

export async function buildNodeTrainBundle(outFile: string): Promise<string> {
  await build({
    entryPoints: [NODE_TRAIN_ENTRY],
    outfile: outFile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // TensorFlow.js's packages as the browser build sees them (ES modules): their CommonJS
    // "main" builds would each load a second copy of tfjs-core and its backend registry.
    mainFields: ['module', 'main'],
    // Dawn's addon stays a package; the browser host's Playwright and Vite are never loaded here.
    external: ['webgpu', '@playwright/test', 'vite', 'esbuild'],
    // Emscripten's loader (TensorFlow.js-WASM) is CommonJS: require('fs'), __dirname.
    banner: {
      js: [
        "import { createRequire as __unmaskRequire } from 'node:module';",
        "import { fileURLToPath as __unmaskPath } from 'node:url';",
        'const require = __unmaskRequire(import.meta.url);',
        'const __filename = __unmaskPath(import.meta.url);',
        "const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));",
      ].join(' '),
    },
    // The browser host's Vite server and this file import vite and esbuild at their top, and
    // esbuild hoists a bundled module's external imports to the bundle's top: keep them out.
    plugins: [
      {
        name: 'browser-host-only',
        setup(b) {
          b.onResolve({ filter: /\/(viteServer|nodeTrainBundle)$/ }, (args) => ({
            path: args.path,
            external: true,
          }));
        },
      },
    ],
    logLevel: 'error',
  });
  // onnxruntime-web (the validity measurements of the grammatical part) loads its WASM build
  // from beside the module that imports it: the bundle.
  const ortDist = path.dirname(createRequire(import.meta.url).resolve('onnxruntime-web'));
  for (const file of ORT_WASM_FILES) {
    fs.copyFileSync(path.join(ortDist, file), path.join(path.dirname(outFile), file));
  }
  return outFile;
}

if (isMainModule(import.meta.url)) {
  const out = process.argv[2];
  if (!out) {
    process.stderr.write('usage: tsx bench/nodeTrainBundle.ts OUT.mjs\n');
    process.exit(2);
  }
  await buildNodeTrainBundle(path.resolve(out));
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { build, createServer, preview } from 'vite';
import { freePort } from './freePort';

export type ServerMode = 'dev' | 'preview';

export interface BenchServer {
  mode: ServerMode;
  /** Origin, no trailing slash: http://127.0.0.1:PORT */
  origin: string;
  close(): Promise<void>;
}

/** The bench pages the static build must contain besides the app (index.html). */
const BENCH_PAGES = ['bench/pages/generate.html', 'bench/pages/train.html'];

/**
 * Starts the app's own Vite configuration (vite.config.ts: COOP/COEP, models/) on a free
 * port: the dev server, or `vite build` into a temporary folder + `vite preview` of it (the
 * static build a user deploys, bench pages added as extra inputs).
 */
export async function startBenchServer(
  mode: ServerMode,
  root: string,
  log: (text: string) => void,
): Promise<BenchServer> {
  const configFile = path.join(root, 'vite.config.ts');
  const port = await freePort();
  const common = { root, configFile, logLevel: 'error' as const, clearScreen: false };
  if (mode === 'dev') {
    const server = await createServer({
      ...common,
      server: { port, strictPort: true, open: false },
    });
    await server.listen();
    return { mode, origin: `http://127.0.0.1:${port}`, close: () => server.close() };
  }
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'unmask-bench-dist-'));
  try {
    log(`generate: building the app into ${outDir}…\n`);
    const input: Record<string, string> = { main: path.join(root, 'index.html') };
    for (const page of BENCH_PAGES) input[path.basename(page, '.html')] = path.join(root, page);
    await build({ ...common, build: { outDir, emptyOutDir: true, rollupOptions: { input } } });
    const server = await preview({
      ...common,
      build: { outDir },
      preview: { port, strictPort: true, open: false },
    });
    return {
      mode,
      origin: `http://127.0.0.1:${port}`,
      async close() {
        await server.close();
        fs.rmSync(outDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(outDir, { recursive: true, force: true });
    throw e;
  }
}

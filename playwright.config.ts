import { defineConfig } from '@playwright/test';
import fs from 'node:fs';

/**
 * Which Chromium runs the end-to-end tests: CHROMIUM_PATH if set, else Debian's /usr/bin/chromium,
 * else Playwright's own download (so it also works on a machine where `npx playwright install` ran).
 */
function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const PORT = Number(process.env.E2E_PORT ?? 5179);

export default defineConfig({
  testDir: 'e2e',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        // WebGPU in headless Chromium; on a machine without a GPU this gives SwiftShader.
        '--enable-unsafe-webgpu',
        '--enable-features=Vulkan',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
        ...(isRoot ? ['--no-sandbox'] : []),
      ],
    },
  },
  webServer: {
    command: `npx vite --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});

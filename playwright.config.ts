import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions } from './e2e/browserLaunch';

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
    // Which Chromium and which switches (WebGPU included): e2e/browserLaunch.ts.
    launchOptions: chromiumLaunchOptions(),
  },
  webServer: {
    command: `npx vite --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
  },
});

import fs from 'node:fs';

/**
 * How Chromium is found and started, shared by the end-to-end tests (playwright.config.ts)
 * and the browser benches (bench/generate.ts), so both run the same browser the same way.
 */

/**
 * CHROMIUM_PATH if set, else Debian's /usr/bin/chromium, else undefined: Playwright's own
 * download (so it also works on a machine where `npx playwright install` ran).
 */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (fs.existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Command-line switches: WebGPU in headless Chromium (SwiftShader on a machine without a GPU). */
export const chromiumArgs: readonly string[] = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  ...(isRoot ? ['--no-sandbox'] : []),
];

/** Launch options for Playwright's chromium.launch / use.launchOptions. */
export function chromiumLaunchOptions(): { executablePath: string | undefined; args: string[] } {
  return { executablePath: chromiumPath(), args: [...chromiumArgs] };
}

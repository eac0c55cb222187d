import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isMainModule } from './isMainModule';

describe('isMainModule', () => {
  const script = '/repo/scripts/train.ts';
  const url = pathToFileURL(script).href;

  it('is true for the script Node was started with', () => {
    expect(isMainModule(url, ['node', script])).toBe(true);
  });

  it('is false for a module imported by another script', () => {
    expect(isMainModule(url, ['node', '/repo/scripts/bench.ts'])).toBe(false);
    expect(isMainModule(url, ['node'])).toBe(false);
  });

  it('is false inside a bundle, where every module has the bundle URL', () => {
    const bundle = '/repo/node_modules/.cache/unmask/train-bench.mjs';
    expect(isMainModule(pathToFileURL(bundle).href, ['node', bundle])).toBe(false);
  });
});

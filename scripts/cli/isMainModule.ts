import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * True when the module with this import.meta.url is the TypeScript script Node was started
 * with (under tsx). A bundle (bench/nodeTrainBundle.ts) gives every module in it the bundle's
 * own URL, so a script bundled as a library would otherwise take the bundle's arguments and run
 * its command line: a bundle's modules are never main.
 */
export function isMainModule(
  importMetaUrl: string,
  argv: readonly string[] = process.argv,
): boolean {
  const entry = argv[1];
  return (
    entry !== undefined &&
    /\.[cm]?ts$/.test(importMetaUrl) &&
    importMetaUrl === pathToFileURL(path.resolve(entry)).href
  );
}

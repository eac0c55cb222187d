import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** True when the module with this import.meta.url is the script Node was started with. */
export function isMainModule(importMetaUrl: string): boolean {
  const entry = process.argv[1];
  return entry !== undefined && importMetaUrl === pathToFileURL(path.resolve(entry)).href;
}

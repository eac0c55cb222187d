import fs from 'node:fs';
import path from 'node:path';
import { ManifestError, parseManifest, type ModelManifest } from '../src/model/manifest';

export interface NodeModelPackage {
  dir: string;
  manifest: ModelManifest;
  onnx: Uint8Array;
  onnxPath: string;
}

/**
 * A package folder that cannot be read as one: bad input, not a bug, so the scripts print its
 * one-line message and exit with code 2.
 */
export class PackageReadError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PackageReadError';
  }
}

/** An fs error in words ("no such file or folder"), without Node's syscall prefix. */
function fsReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file or folder';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'a folder, not a file';
  if (code === 'ENOTDIR') return 'not a folder';
  return code ?? (e as Error).message;
}

function readFile(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new PackageReadError(`cannot read ${what} ${file}: ${fsReason(e)}`, { cause: e });
  }
}

/**
 * Reads a model package folder (Contract 1) from disk; every failure is a PackageReadError of
 * one line that names the file (a bad manifest names every problem).
 */
export function readModelPackage(dir: string): NodeModelPackage {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch (e) {
    throw new PackageReadError(`cannot read the package folder ${dir}: ${fsReason(e)}`, {
      cause: e,
    });
  }
  if (!stat.isDirectory()) {
    throw new PackageReadError(
      `${dir} is a file; a package is a folder with manifest.json and the .onnx it names`,
    );
  }
  const manifestPath = path.join(dir, 'manifest.json');
  const text = readFile(manifestPath, 'the manifest').toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new PackageReadError(`${manifestPath} is not valid JSON: ${(e as Error).message}`, {
      cause: e,
    });
  }
  let manifest: ModelManifest;
  try {
    manifest = parseManifest(json);
  } catch (e) {
    if (!(e instanceof ManifestError)) throw e;
    throw new PackageReadError(`${manifestPath}: ${e.problems.join('; ')}`, { cause: e });
  }
  const onnxPath = path.join(dir, manifest.onnx);
  const onnx = readFile(onnxPath, 'the model (named by the manifest)');
  return { dir, manifest, onnx: new Uint8Array(onnx), onnxPath };
}

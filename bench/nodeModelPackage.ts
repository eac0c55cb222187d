import fs from 'node:fs';
import path from 'node:path';
import { parseManifest, type ModelManifest } from '../src/model/manifest';

export interface NodeModelPackage {
  dir: string;
  manifest: ModelManifest;
  onnx: Uint8Array;
  onnxPath: string;
}

/** Reads a model package folder (Contract 1) from disk; a bad manifest names every problem. */
export function readModelPackage(dir: string): NodeModelPackage {
  const manifestPath = path.join(dir, 'manifest.json');
  if (!fs.existsSync(manifestPath)) throw new Error(`${manifestPath} does not exist`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(manifestPath, 'utf8'));
  } catch (e) {
    throw new Error(`${manifestPath} is not valid JSON: ${(e as Error).message}`, { cause: e });
  }
  const manifest = parseManifest(json);
  const onnxPath = path.join(dir, manifest.onnx);
  if (!fs.existsSync(onnxPath)) throw new Error(`${onnxPath} (named by the manifest) is missing`);
  return { dir, manifest, onnx: new Uint8Array(fs.readFileSync(onnxPath)), onnxPath };
}

/**
 * Which dropped file is the model and which the manifest. By extension first; of two files where
 * only one has a known extension, the other is taken as the other part (the checks that follow
 * say so in words if the guess was wrong). Two models, two manifests or more than two files are
 * named as what they are, never opened as a guess.
 */
export interface NamedFile {
  name: string;
}

export type DropReading<F extends NamedFile> =
  | { onnx?: F; manifest?: F; problem?: undefined }
  | { problem: { summary: string; problems: string[] } };

export const isManifestName = (f: NamedFile) => /\.json$/i.test(f.name);
export const isOnnxName = (f: NamedFile) => /\.onnx$/i.test(f.name);

export const PACKAGE = 'A model package is two files: the .onnx model and its manifest.json.';

export function readPackageDrop<F extends NamedFile>(files: readonly F[]): DropReading<F> {
  const names = files.map((f) => f.name).join(', ');
  const models = files.filter(isOnnxName);
  const manifests = files.filter(isManifestName);
  if (files.length > 2) {
    return {
      problem: {
        summary: `${PACKAGE} Drop only those two (dropped ${files.length} files: ${names}).`,
        problems: [],
      },
    };
  }
  if (models.length === 2) {
    return {
      problem: {
        summary: `${PACKAGE} Both dropped files are models (${names}), and no manifest.json was dropped.`,
        problems: ['the manifest (.json) file is missing', 'drop one .onnx model only'],
      },
    };
  }
  if (manifests.length === 2) {
    return {
      problem: {
        summary: `${PACKAGE} Both dropped files are manifests (${names}), and no .onnx model was dropped.`,
        problems: ['the .onnx model file is missing', 'drop one manifest only'],
      },
    };
  }
  let onnx: F | undefined = models[0];
  let manifest: F | undefined = manifests[0];
  if (files.length === 2) {
    const [a, b] = files;
    if (onnx && !manifest) manifest = onnx === a ? b : a;
    else if (manifest && !onnx) onnx = manifest === a ? b : a;
  }
  return { onnx, manifest };
}

import type { ModelManifest } from './manifest';

/**
 * Whether two packages are a masked-diffusion model and its autoregressive twin that the labs
 * can set side by side: the same window and the same vocabulary, id for id (a sentence must be
 * the same tokens to both). Returns every problem, or an empty list.
 */
export function twinPairProblems(diffusion: ModelManifest, twin: ModelManifest): string[] {
  const problems: string[] = [];
  if (diffusion.kind !== 'masked-diffusion') {
    problems.push(`${diffusion.id} is ${diffusion.kind}, not masked-diffusion`);
  }
  if (twin.kind !== 'autoregressive')
    problems.push(`${twin.id} is ${twin.kind}, not autoregressive`);
  if (diffusion.seqLen !== twin.seqLen) {
    problems.push(`the windows differ: ${diffusion.seqLen} and ${twin.seqLen} tokens`);
  }
  const a = diffusion.vocab;
  const b = twin.vocab;
  const first = a.findIndex((w, i) => w !== b[i]);
  if (a.length !== b.length || first >= 0) {
    problems.push(
      a.length !== b.length
        ? `the vocabularies differ: ${a.length} and ${b.length} tokens`
        : `the vocabularies differ at id ${first}: "${a[first]}" and "${b[first]}"`,
    );
  }
  return problems;
}

/**
 * What the reversal test needs from a model package (src/core/evaluation/reversalTasks.ts): its
 * kind, a vocabulary that reads characters and [SEP], its window, whether it takes t. A package
 * that cannot be posed couplets (no [SEP], no [PAD]/[EOS] ids) is refused in words.
 */
import { SEP_TOKEN } from '../core/corpus/couplets';
import type { CoupletModelInfo } from '../core/evaluation/reversalTasks';
import { Vocabulary } from '../core/vocabulary';
import type { ModelManifest } from './manifest';

export function coupletModelInfo(manifest: ModelManifest): CoupletModelInfo {
  const { mask, pad, eos } = manifest.special;
  if (pad === undefined || eos === undefined) {
    throw new Error(`${manifest.id}: the manifest names no [PAD] and [EOS] ids`);
  }
  if (!manifest.vocab.includes(SEP_TOKEN)) {
    throw new Error(
      `${manifest.id}: its vocabulary has no ${SEP_TOKEN}, so it is not a couplet model`,
    );
  }
  return {
    kind: manifest.kind,
    vocab: new Vocabulary(manifest.vocab, { special: { mask, pad, eos } }),
    seqLen: manifest.seqLen,
    timeConditioned: manifest.io.t !== null,
  };
}

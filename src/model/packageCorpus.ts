import { corpusNames, getCorpus, type Corpus } from '../core/corpus';
import type { ModelManifest } from './manifest';

/**
 * The toy corpus a package was trained on (its manifest's training.corpus, else toy-sentences)
 * when the package's vocabulary is that corpus's, id for id: only then can the corpus's oracle
 * judge the package's samples. Null otherwise (a user's own model, another language).
 */
export function packageCorpus(manifest: ModelManifest): Corpus | null {
  const named = manifest.training?.corpus;
  const name = typeof named === 'string' && corpusNames().includes(named) ? named : 'toy-sentences';
  const corpus = getCorpus(name);
  const tokens = corpus.vocab.tokens;
  const same =
    tokens.length === manifest.vocab.length && tokens.every((w, i) => w === manifest.vocab[i]);
  return same ? corpus : null;
}

import type { Corpus } from './corpus';
import { toySentences } from './toySentences';

/** Every toy corpus the app, the trainer and the CLIs can name. */
const CORPORA: ReadonlyMap<string, Corpus> = new Map([[toySentences.name, toySentences]]);

export function corpusNames(): string[] {
  return [...CORPORA.keys()];
}

/** The corpus with this name; throws, listing the known names, for any other. */
export function getCorpus(name: string): Corpus {
  const corpus = CORPORA.get(name);
  if (!corpus) {
    throw new Error(`unknown corpus '${name}' (known: ${corpusNames().join(', ')})`);
  }
  return corpus;
}

export type { Corpus } from './corpus';
export { windowWords, wordsToWindow } from './corpus';
export { unigramDistribution, sentenceLengthDistribution } from './statistics';

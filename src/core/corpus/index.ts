import { BUILT_IN_COUPLETS } from './builtInCouplets';
import type { Corpus } from './corpus';
import { createCoupletCorpus } from './couplets';
import { toySentences } from './toySentences';

/**
 * The built-in couplets as a corpus, in a window of 24 like the LLaDA set's (lines of up to 11
 * characters). `train --corpus couplets --data FILE` builds one from a file instead.
 */
export const builtInCouplets = createCoupletCorpus(
  'couplets',
  "The app's own short English couplets, character level: first [SEP] second [EOS]…",
  BUILT_IN_COUPLETS,
  24,
);

/** Every toy corpus the app, the trainer and the CLIs can name. */
const CORPORA: ReadonlyMap<string, Corpus> = new Map<string, Corpus>([
  [toySentences.name, toySentences],
  [builtInCouplets.name, builtInCouplets],
]);

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
export {
  COUPLET_SPECIAL_TOKENS,
  SEP_TOKEN,
  coupletSeqLen,
  coupletVocabulary,
  coupletWindow,
  createCoupletCorpus,
  parseCouplets,
  type Couplet,
  type CoupletCorpus,
} from './couplets';
export { BUILT_IN_COUPLETS } from './builtInCouplets';

import { createGrammarCorpus, type Corpus } from './corpus';
import { Grammar, type Rule } from './grammar';

/**
 * toy-sentences: a small English of word-level sentences, 3 to 15 words, built so that a
 * model has to plan the whole sentence, not just the next word:
 *
 * - Number agreement between the subject's head noun and a present-tense verb, across an
 *   adjective and a prepositional phrase: "the cat near the dogs sits" / "the cats near the
 *   dog sit"; likewise is/are and was/were. Past-tense verbs ("sat", "saw") do not agree.
 * - a / an by the sound of the next word: "an old cat", "a small owl", "a unicorn",
 *   "an honest king", "a useful way to compute".
 * - Reflexives agree with their subject in number and gender: "the boys saw themselves",
 *   "the queen near the kings sees herself", never "the girl saw himself".
 * - Determiners agree with their noun: "this cat", "these cats"; and an embedded clause
 *   ("the girl said that she sleeps") has its own subject and agreement.
 * It holds the article's examples: "the cat sat on the mat", "the cat sat here", "it is a way
 * to compute".
 *
 * Templates (A is the subject's agreement class: singular masculine / feminine / neuter, or
 * plural; every verb is present, agreeing with A, or past):
 *   S       → Subject_A VP_A | Pronoun_A VPlong_A
 *   Subject → NP_A | NP_A PP
 *   VP      → Intransitive_A | VPlong_A
 *   VPlong  → Intransitive_A Mod | Transitive_A Object (Mod) | Transitive_A Reflexive_A (Adverb)
 *           | Copula_A Pred_A | Saying_A that Clause
 *   NP      → Det Noun | Det Adjective Noun        Mod → Adverb | PP       PP → Prep NP
 *   Pred    → Adjective | PP | here | there | (singular only) a/an (Adjective) way to Verb
 *   Clause  → (Pronoun | Det Noun) then a short VP, with its own agreement.
 * Subjects are people and animals; objects and PPs may be things too. The longest sentence
 * has 15 words, the shortest 3 (a pronoun subject needs more than a bare verb).
 *
 * Window format (seqLen 16, see corpus.ts): the sentence's word ids, then [EOS] repeated to
 * the end of the window, so there is always at least one [EOS]. The model is trained on every
 * position, the [EOS]s included (the LLaDA convention), which is how it learns to end a short
 * sentence. [PAD] never appears in a toy window (it pads batches of windows of different
 * lengths and is never a target); [MASK] appears only after the forward process.
 */

export const TOY_SEQ_LEN = 16;

type Sound = 'c' | 'v';
type Gender = 'm' | 'f' | 'n';
/** Agreement class of a noun phrase: number, and gender when singular. */
type Agr = 'sg.m' | 'sg.f' | 'sg.n' | 'pl';
const AGREEMENTS: readonly Agr[] = ['sg.m', 'sg.f', 'sg.n', 'pl'];
/** How often each agreement class heads a clause. */
const AGREEMENT_WEIGHTS: Record<Agr, number> = { 'sg.m': 0.15, 'sg.f': 0.15, 'sg.n': 0.3, pl: 0.4 };

interface Noun {
  sg: string;
  pl: string;
  gender: Gender;
  /** Sound of the singular's first letter-group, which is what a/an follows. */
  sound: Sound;
  animate: boolean;
}

const noun = (sg: string, pl: string, gender: Gender, sound: Sound, animate = true): Noun => ({
  sg,
  pl,
  gender,
  sound,
  animate,
});

const NOUNS: readonly Noun[] = [
  noun('boy', 'boys', 'm', 'c'),
  noun('man', 'men', 'm', 'c'),
  noun('king', 'kings', 'm', 'c'),
  noun('uncle', 'uncles', 'm', 'v'),
  noun('girl', 'girls', 'f', 'c'),
  noun('woman', 'women', 'f', 'c'),
  noun('queen', 'queens', 'f', 'c'),
  noun('aunt', 'aunts', 'f', 'v'),
  noun('cat', 'cats', 'n', 'c'),
  noun('dog', 'dogs', 'n', 'c'),
  noun('bird', 'birds', 'n', 'c'),
  noun('fox', 'foxes', 'n', 'c'),
  noun('mouse', 'mice', 'n', 'c'),
  noun('horse', 'horses', 'n', 'c'),
  noun('unicorn', 'unicorns', 'n', 'c'), // a vowel letter, a consonant sound: "a unicorn"
  noun('owl', 'owls', 'n', 'v'),
  noun('eagle', 'eagles', 'n', 'v'),
  noun('ant', 'ants', 'n', 'v'),
  noun('mat', 'mats', 'n', 'c', false),
  noun('box', 'boxes', 'n', 'c', false),
  noun('tree', 'trees', 'n', 'c', false),
  noun('house', 'houses', 'n', 'c', false),
  noun('bed', 'beds', 'n', 'c', false),
  noun('table', 'tables', 'n', 'c', false),
  noun('island', 'islands', 'n', 'v', false),
  noun('umbrella', 'umbrellas', 'n', 'v', false),
];

const ADJECTIVES: readonly [string, Sound][] = [
  ['small', 'c'],
  ['big', 'c'],
  ['little', 'c'],
  ['black', 'c'],
  ['white', 'c'],
  ['happy', 'c'],
  ['lazy', 'c'],
  ['young', 'c'],
  ['old', 'v'],
  ['angry', 'v'],
  ['orange', 'v'],
  ['ugly', 'v'],
  ['honest', 'v'], // silent h: "an honest king"
];

/** Adjectives for "a … way to compute". */
const WAY_ADJECTIVES: readonly [string, Sound][] = [
  ['good', 'c'],
  ['simple', 'c'],
  ['useful', 'c'], // "a useful way": the sound, not the letter
  ['easy', 'v'],
  ['odd', 'v'],
];

interface Verb {
  sg: string;
  pl: string;
  past: string;
}
const verb = (sg: string, pl: string, past: string): Verb => ({ sg, pl, past });

const INTRANSITIVE: readonly Verb[] = [
  verb('sits', 'sit', 'sat'),
  verb('sleeps', 'sleep', 'slept'),
  verb('runs', 'run', 'ran'),
  verb('waits', 'wait', 'waited'),
  verb('sings', 'sing', 'sang'),
];
const TRANSITIVE: readonly Verb[] = [
  verb('sees', 'see', 'saw'),
  verb('likes', 'like', 'liked'),
  verb('chases', 'chase', 'chased'),
  verb('watches', 'watch', 'watched'),
  verb('helps', 'help', 'helped'),
];
const SAYING: readonly Verb[] = [verb('says', 'say', 'said'), verb('thinks', 'think', 'thought')];
/** The one verb whose past tense agrees too: was / were. */
const COPULA = { sg: 'is', pl: 'are', pastSg: 'was', pastPl: 'were' };

const INFINITIVES = ['compute', 'learn', 'read', 'write', 'win', 'help', 'sleep'];
const PREPOSITIONS = ['on', 'near', 'under', 'with', 'behind', 'in', 'by'];
const ADVERBS = ['here', 'there', 'today', 'again'];
const PLACE_ADVERBS = ['here', 'there'];
const PRONOUN: Record<Agr, string> = { 'sg.m': 'he', 'sg.f': 'she', 'sg.n': 'it', pl: 'they' };
const REFLEXIVE: Record<Agr, string> = {
  'sg.m': 'himself',
  'sg.f': 'herself',
  'sg.n': 'itself',
  pl: 'themselves',
};
const SINGULAR_DETERMINERS: readonly [string, number][] = [
  ['the', 0.5],
  ['this', 0.1],
  ['that', 0.1],
];
/** Share of singular noun phrases that take a / an. */
const INDEFINITE_SHARE = 0.3;
const PLURAL_DETERMINERS: readonly [string, number][] = [
  ['the', 0.6],
  ['these', 0.13],
  ['those', 0.13],
  ['some', 0.14],
];
/** How often a noun phrase (that may) carries an adjective. */
const ADJECTIVE_SHARE = 0.35;

/** Display order of the vocabulary: grouped by part of speech. */
const WORDS: readonly string[] = dedupe([
  'the',
  'a',
  'an',
  'this',
  'that',
  'these',
  'those',
  'some',
  ...NOUNS.flatMap((n) => [n.sg, n.pl]),
  ...ADJECTIVES.map(([w]) => w),
  ...WAY_ADJECTIVES.map(([w]) => w),
  ...AGREEMENTS.map((a) => PRONOUN[a]),
  ...AGREEMENTS.map((a) => REFLEXIVE[a]),
  ...[...INTRANSITIVE, ...TRANSITIVE, ...SAYING].flatMap((v) => [v.sg, v.pl, v.past]),
  ...Object.values(COPULA),
  'way',
  'to',
  ...INFINITIVES,
  ...PREPOSITIONS,
  ...ADVERBS,
]);

function dedupe(words: string[]): string[] {
  return [...new Set(words)];
}

const agreementOf = (n: Noun, number: 'sg' | 'pl'): Agr =>
  number === 'pl' ? 'pl' : (`sg.${n.gender}` as Agr);

/** Builds the rules. Nonterminal names carry their features: NP.subj.sg.f, Verb.pl, … */
function buildRules(): Rule[] {
  const rules: Rule[] = [];
  const rule = (lhs: string, rhs: string, weight = 1) =>
    rules.push({ lhs, rhs: rhs.split(' '), weight });

  // Lexical categories.
  for (const [w, sound] of ADJECTIVES) rule(`Adj.${sound}`, w);
  rule('Adj', 'Adj.c', share(ADJECTIVES, 'c'));
  rule('Adj', 'Adj.v', share(ADJECTIVES, 'v'));
  for (const [w, sound] of WAY_ADJECTIVES) rule(`WayAdj.${sound}`, w);
  for (const w of PREPOSITIONS) rule('Prep', w);
  for (const w of ADVERBS) rule('Adverb', w);
  for (const w of PLACE_ADVERBS) rule('PlaceAdverb', w);
  for (const w of INFINITIVES) rule('Infinitive', w);

  // Noun phrases, one family per (role, agreement class, adjectives allowed).
  const people = NOUNS.filter((n) => n.animate);
  for (const a of AGREEMENTS) {
    const number = a === 'pl' ? 'pl' : 'sg';
    const heads = people.filter((n) => number === 'pl' || agreementOf(n, 'sg') === a);
    nounPhrase(rule, `subj.${a}`, heads, number, true);
    nounPhrase(rule, `subj0.${a}`, heads, number, false);
  }
  for (const number of ['sg', 'pl'] as const) {
    nounPhrase(rule, `any.${number}`, NOUNS, number, true);
    nounPhrase(rule, `any0.${number}`, NOUNS, number, false);
  }
  rule('Object', 'NP.any.sg', 0.6);
  rule('Object', 'NP.any.pl', 0.4);
  rule('Object0', 'NP.any0.sg', 0.6);
  rule('Object0', 'NP.any0.pl', 0.4);
  rule('PP', 'Prep Object');
  rule('Mod', 'Adverb', 0.4);
  rule('Mod', 'PP', 0.6);

  // Sentences.
  for (const a of AGREEMENTS) {
    rule('S', `Clause.${a}`, AGREEMENT_WEIGHTS[a]);
    rule('Embedded', `Embedded.${a}`, AGREEMENT_WEIGHTS[a]);
  }
  for (const a of AGREEMENTS) {
    const number = a === 'pl' ? 'pl' : 'sg';
    const present = (v: Verb) => (number === 'sg' ? v.sg : v.pl);
    for (const [name, verbs] of [
      ['Verb', INTRANSITIVE],
      ['Transitive', TRANSITIVE],
      ['Saying', SAYING],
    ] as const) {
      for (const v of verbs) {
        rule(`${name}.${a}`, present(v), 0.5);
        rule(`${name}.${a}`, v.past, 0.5);
      }
    }
    rule(`Copula.${a}`, number === 'sg' ? COPULA.sg : COPULA.pl);
    rule(`Copula.${a}`, number === 'sg' ? COPULA.pastSg : COPULA.pastPl);
    rule(`Pronoun.${a}`, PRONOUN[a]);
    rule(`Reflexive.${a}`, REFLEXIVE[a]);

    rule(`Clause.${a}`, `Subject.${a} VP.${a}`, 0.8);
    rule(`Clause.${a}`, `Pronoun.${a} VPlong.${a}`, 0.2);
    rule(`Subject.${a}`, `NP.subj.${a}`, 0.6);
    rule(`Subject.${a}`, `NP.subj.${a} PP`, 0.4);
    rule(`VP.${a}`, `Verb.${a}`, 0.15);
    rule(`VP.${a}`, `VPlong.${a}`, 0.85);
    rule(`VPlong.${a}`, `Verb.${a} Mod`, 0.25);
    rule(`VPlong.${a}`, `Transitive.${a} Object`, 0.2);
    rule(`VPlong.${a}`, `Transitive.${a} Object Mod`, 0.05);
    rule(`VPlong.${a}`, `Transitive.${a} Reflexive.${a}`, 0.12);
    rule(`VPlong.${a}`, `Transitive.${a} Reflexive.${a} Adverb`, 0.04);
    rule(`VPlong.${a}`, `Copula.${a} Pred.${a}`, 0.2);
    rule(`VPlong.${a}`, `Saying.${a} that Embedded`, 0.14);

    rule(`Pred.${a}`, 'Adj', 0.3);
    rule(`Pred.${a}`, 'PP', 0.3);
    rule(`Pred.${a}`, 'PlaceAdverb', 0.15);
    if (number === 'sg') rule(`Pred.${a}`, 'Way', 0.25);

    // The embedded clause: short, so that "… said that …" still fits the window.
    rule(`Embedded.${a}`, `Pronoun.${a} EmbeddedVP.${a}`, 0.5);
    rule(`Embedded.${a}`, `NP.subj0.${a} EmbeddedVP.${a}`, 0.5);
    rule(`EmbeddedVP.${a}`, `Verb.${a}`, 0.3);
    rule(`EmbeddedVP.${a}`, `Verb.${a} Adverb`, 0.2);
    rule(`EmbeddedVP.${a}`, `Transitive.${a} Reflexive.${a}`, 0.2);
    rule(`EmbeddedVP.${a}`, `Transitive.${a} Object0`, 0.15);
    rule(`EmbeddedVP.${a}`, `Copula.${a} Adj`, 0.15);
  }
  rule('Way', 'a way to Infinitive', 0.5);
  rule('Way', 'a WayAdj.c way to Infinitive', 0.5 * share(WAY_ADJECTIVES, 'c'));
  rule('Way', 'an WayAdj.v way to Infinitive', 0.5 * share(WAY_ADJECTIVES, 'v'));
  return rules;
}

function share(words: readonly [string, Sound][], sound: Sound): number {
  return words.filter(([, s]) => s === sound).length / words.length;
}

/**
 * Rules for NP.<name>: a determiner, an optional adjective, a head noun from `heads`. The
 * nominal after the determiner is split by the sound it starts with (Nom.<name>.c / .v), which
 * is how a / an sees the next word while the rules stay context-free.
 */
function nounPhrase(
  rule: (lhs: string, rhs: string, weight?: number) => void,
  name: string,
  heads: readonly Noun[],
  number: 'sg' | 'pl',
  adjectives: boolean,
): void {
  const pAdj = adjectives ? ADJECTIVE_SHARE : 0;
  const words = heads.map((n) => [n[number], n.sound] as const);
  const nounShare = (sound: Sound) => words.filter(([, s]) => s === sound).length / words.length;
  // Probability that the nominal starts with each sound, and its two ways of doing so.
  const viaAdj = (s: Sound) => pAdj * share(ADJECTIVES, s);
  const viaNoun = (s: Sound) => (1 - pAdj) * nounShare(s);
  const starts = (s: Sound) => viaAdj(s) + viaNoun(s);

  for (const [w, sound] of words) rule(`Noun.${name}.${sound}`, w);
  for (const s of ['c', 'v'] as const) {
    if (nounShare(s) > 0) rule(`Noun.${name}`, `Noun.${name}.${s}`, nounShare(s));
    if (viaAdj(s) > 0) rule(`Nom.${name}.${s}`, `Adj.${s} Noun.${name}`, viaAdj(s));
    if (viaNoun(s) > 0) rule(`Nom.${name}.${s}`, `Noun.${name}.${s}`, viaNoun(s));
    if (starts(s) > 0) rule(`Nom.${name}`, `Nom.${name}.${s}`, starts(s));
  }
  if (number === 'sg') {
    for (const [det, w] of SINGULAR_DETERMINERS) rule(`NP.${name}`, `${det} Nom.${name}`, w);
    if (starts('c') > 0) rule(`NP.${name}`, `a Nom.${name}.c`, INDEFINITE_SHARE * starts('c'));
    if (starts('v') > 0) rule(`NP.${name}`, `an Nom.${name}.v`, INDEFINITE_SHARE * starts('v'));
  } else {
    for (const [det, w] of PLURAL_DETERMINERS) rule(`NP.${name}`, `${det} Nom.${name}`, w);
  }
}

/** The grammar as data: the one source for both the sampler and the oracle. */
export const toyGrammar = new Grammar('S', buildRules());

export const toySentences: Corpus = createGrammarCorpus({
  name: 'toy-sentences',
  description:
    'Short English sentences with long-range agreement (subject-verb across phrases, a/an, ' +
    'reflexives), 3-15 words in a 16-token window.',
  grammar: toyGrammar,
  seqLen: TOY_SEQ_LEN,
  words: WORDS,
});

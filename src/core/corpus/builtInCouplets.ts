/**
 * The app's own couplets (written for this project, not taken from anywhere): short English line
 * pairs, the second answering the first, for the reversal lab when no file is loaded. At most 11
 * characters a line, like the LLaDA set, so a window of 24 holds any of them.
 */
import type { Couplet } from './couplets';

const PAIRS: readonly (readonly [string, string])[] = [
  ['moon on ice', 'sun on sand'],
  ['cold river', 'warm hearth'],
  ['owl at dusk', 'hen at dawn'],
  ['slow tide', 'swift hare'],
  ['grey stone', 'green moss'],
  ['deep well', 'high kite'],
  ['one candle', 'two shadows'],
  ['bread rises', 'snow sinks'],
  ['a fox runs', 'a crow sits'],
  ['ink on silk', 'dew on fern'],
  ['bells ring', 'drums roll'],
  ['empty boat', 'quiet dock'],
  ['iron gate', 'paper door'],
  ['wild plum', 'tame pear'],
  ['north wind', 'south rain'],
  ['old mill', 'new road'],
  ['frost bites', 'ember warms'],
  ['spring mud', 'autumn dust'],
  ['a lone pine', 'a full moon'],
  ['bees hum', 'frogs sing'],
  ['lamp lit', 'door shut'],
  ['far hills', 'near fields'],
  ['tea cools', 'fire fades'],
  ['small nest', 'wide sky'],
  ['torn map', 'lost road'],
  ['red leaf', 'white petal'],
  ['quiet lake', 'loud falls'],
  ['stars fade', 'birds rise'],
  ['thin ice', 'thick fog'],
  ['cat on wall', 'dog by gate'],
  ['hot bread', 'cold milk'],
  ['dry reeds', 'wet stones'],
  ['glass jar', 'clay pot'],
  ['tide out', 'boats in'],
  ['pale dawn', 'gold dusk'],
  ['mist lifts', 'sun climbs'],
  ['rope frays', 'knot holds'],
  ['rain on tin', 'wind in oak'],
  ['first frost', 'last rose'],
  ['salt on lip', 'sand on toe'],
];

export const BUILT_IN_COUPLETS: readonly Couplet[] = PAIRS.map(([first, second]) => ({
  first,
  second,
}));

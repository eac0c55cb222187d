import { describe, expect, it } from 'vitest';
import { STRATEGY_NAMES } from '../core/sampler';
import {
  DEFAULT_CONFIG,
  configFromHash,
  configToHash,
  formatPins,
  parsePins,
  readConfigFromHash,
  type GenerationConfig,
} from './generationConfig';
import { ignoredInLink } from './linkSlice';
import { readHash } from './urlHash';

/** What the browser does with the hash: URLSearchParams text, read back by readHash. */
const throughUrl = (c: GenerationConfig) =>
  configFromHash(readHash(`#${new URLSearchParams(configToHash(c)).toString()}`));

describe('generation config in the URL hash', () => {
  it('round-trips every field, including nulls, pins and run B', () => {
    const config: GenerationConfig = {
      a: { strategy: 'llada.low_confidence', steps: 8, blockLength: 4 },
      b: { strategy: 'remdm', steps: 12, blockLength: null },
      sideBySide: true,
      length: 9,
      temperature: 0.7,
      topK: 5,
      topP: null,
      threshold: 0.35,
      remaskSchedule: 'rescale',
      remaskEta: 0.25,
      eosLast: false,
      editThreshold: 0.8,
      numToTransfer: 2,
      maxPostSteps: 3,
      entropyBound: 0.5,
      dusBase: 3,
      dusRemasking: 'low_confidence',
      dusThreshold: 0.7,
      seed: 4294967295,
      prompt: 'the cat, the dog & more',
      pins: [
        { position: 3, word: 'on' },
        { position: 7, word: '[EOS]' },
        { position: 8, word: 'a,b:c' },
      ],
    };
    expect(throughUrl(config)).toEqual(config);
    expect(throughUrl(DEFAULT_CONFIG)).toEqual(DEFAULT_CONFIG);
  });

  it('writes 1-based positions and reads them back 0-based', () => {
    expect(
      formatPins([
        { position: 5, word: 'cat' },
        { position: 0, word: 'the' },
      ]),
    ).toBe('1:the,6:cat');
    expect(parsePins('1:the,6:cat')).toEqual([
      { position: 0, word: 'the' },
      { position: 5, word: 'cat' },
    ]);
    // Malformed entries are skipped, not guessed.
    expect(parsePins('0:x,abc,3:,2:%E0%A4%A,4:dog')).toEqual([{ position: 3, word: 'dog' }]);
  });

  it('keeps out-of-range numbers as typed (planRuns reports them) but ignores junk', () => {
    const c = configFromHash({ steps: '0', seed: '-3', temp: 'hot', strategy: 'nope', topk: '' });
    expect(c.a.steps).toBe(0);
    expect(c.seed).toBe(-3);
    expect(c.temperature).toBe(DEFAULT_CONFIG.temperature);
    expect(c.a.strategy).toBe(DEFAULT_CONFIG.a.strategy);
    expect(c.topK).toBeNull();
  });

  it('names every link setting it could not use, why, and what is used instead', () => {
    const { config, ignored } = readConfigFromHash(
      readHash(
        '#thr=NaN&steps=abc&strategy=nope&topk=many&remask=often&compare=yes&pins=3:cat,x,0:dog&seed=7&len=',
      ),
    );
    expect(config.threshold).toBe(DEFAULT_CONFIG.threshold);
    expect(config.a.steps).toBe(DEFAULT_CONFIG.a.steps);
    expect(config.a.strategy).toBe('article');
    expect(config.pins).toEqual([{ position: 2, word: 'cat' }]);
    expect(config.seed).toBe(7);
    expect(config.length).toBeNull();
    expect(ignored).toEqual([
      {
        key: 'strategy',
        value: 'nope',
        reason: `Strategy: "nope" is not a sampler this page knows (${STRATEGY_NAMES.join(', ')}), so article is used`,
      },
      {
        key: 'steps',
        value: 'abc',
        reason: 'Steps: "abc" is not a number, so the default 16 is used',
      },
      {
        key: 'compare',
        value: 'yes',
        reason: 'Compare side by side: "yes" is none of 0, 1, so 0 is used',
      },
      {
        key: 'topk',
        value: 'many',
        reason: 'Top-k: "many" is not a number (empty means none), so none is used',
      },
      {
        key: 'thr',
        value: 'NaN',
        reason: 'Threshold: "NaN" is not a number, so the default 0.9 is used',
      },
      {
        key: 'remask',
        value: 'often',
        reason: 'Remask schedule: "often" is none of cap, rescale, so cap is used',
      },
      {
        key: 'pins',
        value: 'x',
        reason: 'Pinned words: "x" is not position:word (a position from 1), so it is left out',
      },
      {
        key: 'pins',
        value: '0:dog',
        reason: 'Pinned words: "0:dog" is not position:word (a position from 1), so it is left out',
      },
    ]);
    // A link the page wrote itself is read without a word.
    expect(
      readConfigFromHash(readHash(`#${new URLSearchParams(configToHash(DEFAULT_CONFIG))}`)).ignored,
    ).toEqual([]);
    expect(ignoredInLink({ ep: 'cuda', steps: '8' })).toEqual([
      {
        key: 'ep',
        value: 'cuda',
        reason: 'Execution provider: "cuda" is none of auto, webgpu, wasm, so auto is used',
      },
    ]);
  });

  it('ranks [EOS] last unless a link says eoslast=0 (links from before the key keep it on)', () => {
    expect(DEFAULT_CONFIG.eosLast).toBe(true);
    expect(configFromHash(readHash('#steps=16')).eosLast).toBe(true);
    expect(configFromHash(readHash('#eoslast=0')).eosLast).toBe(false);
    expect(configFromHash(readHash('#eoslast=1')).eosLast).toBe(true);
  });

  it('reads the keys of the first page (steps, seed, temp) as before', () => {
    const c = configFromHash(readHash('#ep=wasm&steps=16&seed=3&temp=0.5'));
    expect([c.a.steps, c.seed, c.temperature]).toEqual([16, 3, 0.5]);
  });
});

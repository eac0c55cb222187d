import { beforeEach, describe, expect, it, vi } from 'vitest';
import { choiceFromRecord, parseTrace, serializeTrace, traceFromLogits } from '../core/sampler';
import { Vocabulary } from '../core/vocabulary';
import type { ModelManifest } from '../model/manifest';
import { fakeDenoiser } from './fakeDenoiser.testutil';
import { DEFAULT_CONFIG } from './generationConfig';
import { mostConfident, tokenFor } from './humanSession';
import { useAppStore } from './store';

const vocab = Vocabulary.withSpecials(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
const L = 8;
const manifest = {
  id: 'fake',
  vocab: [...vocab.tokens],
  special: { mask: vocab.maskId, pad: vocab.padId, eos: vocab.eosId },
  seqLen: L,
  io: { tokens: 'tokens', t: 't', logits: 'logits', tokenType: 'int32' },
} as unknown as ModelManifest;

let fake: ReturnType<typeof fakeDenoiser>;
vi.mock('./denoiserInstance', () => ({ getDenoiser: () => fake }));

const s = () => useAppStore.getState();

beforeEach(() => {
  fake = fakeDenoiser(vocab.size, L, vocab.maskId, 9);
  useAppStore.setState({
    manifest,
    runs: [],
    drive: null,
    config: {
      ...DEFAULT_CONFIG,
      a: { strategy: 'llada.low_confidence', steps: 8, blockLength: null },
      temperature: 0,
      eosLast: false,
      seed: 4,
    },
  });
});

describe('be the sampler', () => {
  it('a person who always takes the surest guess is LLaDA: the comparison reuses all 8 calls', async () => {
    await s().startDriving();
    expect(s().drive?.status).toBe('deciding');
    expect(s().runs[0].source).toBe('human');
    // Nothing is written until the person chooses.
    expect(s().runs[0].records).toHaveLength(0);
    for (let call = 0; call < 8; call++) {
      const session = s().drive!.session;
      const [best] = mostConfident(session, 1);
      s().driveToggle(best);
      expect(s().drive!.session.chosen).toEqual([best]);
      await s().driveCommit();
    }
    const drive = s().drive!;
    expect(drive.status).toBe('done');
    expect(drive.modelCalls).toBe(8);
    expect(s().runs[0].records.map((r) => r.committed)).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect(fake.inputs).toHaveLength(8);

    await s().driveCompare('llada.low_confidence');
    const c = s().drive!.comparison!;
    expect(c.status).toBe('done');
    expect(c.judged).toBe(false);
    expect(c.result).toMatchObject({
      a: { calls: 8, masksLeft: 0, valid: null },
      b: { calls: 8, masksLeft: 0, valid: null },
      differing: [],
      sameWordOtherCall: [],
    });
    // LLaDA gave the model the very windows the person did: no new model call.
    expect(fake.inputs).toHaveLength(8);
    expect(s().runs.map((r) => [r.key, r.source])).toEqual([
      ['a', 'human'],
      ['b', 'model'],
    ]);
    expect(s().runs[1].modelCalls).toBe(0);
  });

  it('types a word, commits several at once, and leaves a trace that imports and replays', async () => {
    await s().startDriving();
    const first = s().drive!.session;
    const [p, q, r] = mostConfident(first, 3);
    s().driveType(p, vocab.id('h'));
    s().driveToggle(q);
    s().driveToggle(r);
    s().driveToggle(r); // unchosen again
    expect(tokenFor(s().drive!.session, p)).toBe(vocab.id('h'));
    await s().driveCommit();
    const rec = s().runs[0].records[0];
    expect(rec.committed).toBe(2);
    expect(rec.after[p]).toBe(vocab.id('h'));
    expect(rec.after[q]).toBe(rec.prediction[q]);
    // Committing nothing is allowed, and the next call's window is the same one: the cache
    // answers it.
    const before = fake.inputs.length;
    await s().driveCommit();
    expect(fake.inputs.length).toBe(before);
    expect(s().drive!.reused).toBe(1);
    // The rest at once.
    const rest = mostConfident(s().drive!.session, L);
    for (const i of rest) s().driveToggle(i);
    await s().driveCommit();
    expect(s().drive!.status).toBe('done');
    const trace = s().runs[0].trace!;
    expect(trace.records).toHaveLength(3);

    const parsed = parseTrace(serializeTrace(trace));
    if (!parsed.ok) throw new Error(parsed.errors.join('\n'));
    expect(parsed.trace.options.strategy).toBe('human');
    // Replayed from the model's logits for its inputs and the choices in its records.
    const logits = await Promise.all(
      trace.records.map(async (rec) => {
        const t = rec.t === null ? undefined : Float32Array.of(rec.t);
        return (await fake.logitsVia(Int32Array.from(rec.before), 1, t, 'use')).logits;
      }),
    );
    const replayed = traceFromLogits(
      {
        prompt: [],
        genLength: L,
      },
      trace.options,
      vocab.size,
      vocab.maskId,
      logits,
      trace.records.map(choiceFromRecord),
    );
    expect(replayed.records).toEqual(trace.records);

    s().stopDriving();
    expect(s().drive).toBeNull();
  });
});

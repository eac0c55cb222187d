import { describe, expect, it } from 'vitest';
import { runSamplerToEnd } from './driver';
import { randomModel } from './fakeModels.testutil';
import { parseTrace } from './parseTrace';
import { serializeTrace } from './trace';
import { checkTraceVocabulary, traceVocabularyOf, vocabularyHash } from './traceVocabulary';

const toy = { id: 'toy', vocab: ['[MASK]', '[PAD]', '[EOS]', 'the', 'cat', 'sat'] };
// Same size, same [MASK] id, other words: the case where ids alone replay the wrong words.
const other = { id: 'other', vocab: ['[MASK]', 'the', 'a', 'dog', 'cat', 'sat'] };

describe('the vocabulary a trace was written with', () => {
  it('hashes the tokens in id order, with their boundaries', () => {
    expect(vocabularyHash(toy.vocab)).toMatch(/^[0-9a-f]{16}$/);
    expect(vocabularyHash([...toy.vocab])).toBe(vocabularyHash(toy.vocab));
    expect(vocabularyHash(other.vocab)).not.toBe(vocabularyHash(toy.vocab));
    // Two tokens swapped, or split differently, is another vocabulary.
    expect(vocabularyHash(['a', 'b'])).not.toBe(vocabularyHash(['b', 'a']));
    expect(vocabularyHash(['ab', 'c'])).not.toBe(vocabularyHash(['a', 'bc']));
  });

  it('replays on the same vocabulary, refuses another of the same size, warns when unknown', () => {
    const written = traceVocabularyOf(toy);
    expect(written).toEqual({ modelId: 'toy', hash: vocabularyHash(toy.vocab) });
    // Another model with the same vocabulary (a retrained one) is fine.
    expect(checkTraceVocabulary(written, { id: 'toy-retrained', vocab: [...toy.vocab] })).toEqual({
      kind: 'same',
    });
    const refused = checkTraceVocabulary(written, other);
    expect(refused.kind).toBe('different');
    expect(refused.kind === 'different' && refused.error).toBe(
      `vocabulary: the trace was written by toy, whose vocabulary is not the loaded model's (other; hash ${written.hash} against ${vocabularyHash(other.vocab)}), so its token ids would show the wrong words. Open toy first.`,
    );
    const unknown = checkTraceVocabulary(undefined, other);
    expect(unknown.kind === 'unknown' && unknown.warning).toMatch(
      /does not say which vocabulary wrote it .* words of the loaded model, other/,
    );
  });

  it('travels in the trace file, and a malformed one is named', async () => {
    const trace = {
      ...(await runSamplerToEnd(
        randomModel(6, 5, 0, 3, 1),
        { prompt: [], genLength: 5 },
        {
          strategy: 'article',
          steps: 5,
        },
      )),
      vocabulary: traceVocabularyOf(toy),
    };
    const parsed = parseTrace(serializeTrace(trace));
    expect(parsed).toEqual({ ok: true, trace });
    const json = JSON.parse(serializeTrace(trace));
    json.vocabulary = { modelId: '', hash: 'xyz' };
    expect(parseTrace(json)).toEqual({
      ok: false,
      errors: [
        'vocabulary.modelId: expected the id of the model that wrote the trace',
        'vocabulary.hash: expected 16 hex digits',
      ],
    });
    delete json.vocabulary;
    const older = parseTrace(json);
    expect(older.ok && older.trace.vocabulary).toBeUndefined();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { serializeTrace, traceFromLogits } from '../core/sampler';
import { tableLogits } from '../core/sampler/fakeModels.testutil';
import { Vocabulary } from '../core/vocabulary';
import type { ModelManifest } from '../model/manifest';
import { playableFrame, tokensAt, type GenerationRun } from './generationRun';
import { playbackAfterRecords } from './playbackSlice';
import { useAppStore } from './store';

const vocab = Vocabulary.withSpecials(['a', 'b', 'c', 'd', 'e']);
const manifest = {
  vocab: [...vocab.tokens],
  special: { mask: 0, pad: 1, eos: 2 },
  seqLen: 4,
  io: { tokens: 'tokens', t: 't', logits: 'logits', tokenType: 'int32' },
} as unknown as ModelManifest;

// The article's sampler on 4 positions in 4 steps: one commit per call.
const row = [0.9, 0.6, 0.8, 0.7].map((prob, i) => ({ token: 3 + i, prob }));
const trace = traceFromLogits(
  { prompt: [], genLength: 4 },
  { strategy: 'article', steps: 4, temperature: 0 },
  vocab.size,
  0,
  Array.from({ length: 4 }, () => tableLogits(vocab.size, 0, row)),
);

const s = () => useAppStore.getState();

beforeEach(() => {
  vi.useFakeTimers();
  useAppStore.setState({ manifest, speed: 4, runs: [], frame: 0, playing: false });
});
afterEach(() => {
  s().pause();
  vi.useRealTimers();
});

describe('playback', () => {
  it('plays an imported trace at the chosen speed and stops at the end', () => {
    s().importTrace(serializeTrace(trace), 'run.json');
    expect(s().importProblem).toBeNull();
    expect(s().runs[0].records).toHaveLength(4);
    expect([s().frame, s().playing]).toEqual([0, true]);
    vi.advanceTimersByTime(249);
    expect(s().frame).toBe(0);
    vi.advanceTimersByTime(1);
    expect(s().frame).toBe(1);
    vi.advanceTimersByTime(750);
    expect([s().frame, s().playing]).toEqual([4, false]);
    expect(tokensAt(s().runs[0], 4)).toEqual(trace.final);
  });

  it('steps back and forward exactly, and Play at the end replays from the start', () => {
    s().importTrace(serializeTrace(trace), 'run.json');
    s().pause();
    s().seek(3);
    const at3 = tokensAt(s().runs[0], s().frame);
    s().stepForward();
    expect(s().frame).toBe(4);
    s().stepBack();
    expect(s().frame).toBe(3);
    expect(tokensAt(s().runs[0], s().frame)).toEqual(at3);
    s().stepForward();
    s().stepForward(); // nothing after the last frame of a finished run
    expect(s().frame).toBe(4);
    s().play();
    expect([s().frame, s().playing]).toEqual([0, true]);
    s().seek(99);
    expect(s().frame).toBe(4);
  });

  it('reports what is wrong with a broken or foreign trace and keeps the runs', () => {
    s().importTrace(serializeTrace(trace), 'good.json');
    s().importTrace('{"schema": "unmask.trace/1", "records": 3}', 'broken.json');
    expect(s().importProblem?.fileName).toBe('broken.json');
    expect(s().importProblem?.errors.join('\n')).toContain('records: expected an array');
    expect(s().runs[0].fileName).toBe('good.json');
    const foreign = { ...JSON.parse(serializeTrace(trace)), vocabSize: 9 };
    s().importTrace(JSON.stringify(foreign), 'foreign.json');
    expect(s().importProblem?.errors.join('\n')).toMatch(/vocabSize|9\)/);
  });

  it('makes a Step forward past the computed frames wait for the next record', () => {
    const full = s().runs[0] ?? null;
    expect(full).toBeNull();
    const running: GenerationRun = {
      key: 'a',
      source: 'model',
      fileName: null,
      options: trace.options,
      vocabSize: vocab.size,
      maskId: 0,
      promptLength: 0,
      initial: trace.initial,
      pinned: trace.pinned,
      records: trace.records.slice(0, 2),
      callMs: [1, 1],
      modelCalls: 2,
      status: 'running',
      error: null,
      trace: null,
    };
    useAppStore.setState({ runs: [running], frame: 2 });
    s().stepForward();
    expect([s().frame, s().waitingForFrame]).toEqual([2, 3]);
    const more = [{ ...running, records: trace.records.slice(0, 3) }];
    expect(playableFrame(more)).toBe(3);
    expect(playbackAfterRecords(s(), more)).toEqual({ frame: 3, waitingForFrame: null });
    // Two runs: a running run holds playback back; a finished one just shows its last frame.
    const done = { ...running, key: 'b' as const, status: 'done' as const, records: trace.records };
    expect(playableFrame([more[0], done])).toBe(3);
    expect(playableFrame([{ ...more[0], status: 'done' }, done])).toBe(4);
  });
});

import { describe, expect, it } from 'vitest';
import {
  deserializeCheckpoint,
  serializeCheckpoint,
  type TrainingCheckpoint,
} from './checkpointStore';
import { DEFAULT_SETTINGS } from './trainingProtocol';

const checkpoint = (): TrainingCheckpoint => ({
  settings: { ...DEFAULT_SETTINGS, preset: 'tiny', steps: 30 },
  step: 2,
  params: Float32Array.of(0.5, -1.25, 3),
  m: Float32Array.of(0.1, 0.2, 0.3),
  v: Float32Array.of(1, 2, 3),
  optimizerStep: 2,
  dataRng: [1, 2, 3, 0xffffffff],
  maskRng: [5, 6, 7, 8],
  history: [
    { step: 1, loss: 5.25, lr: 1e-3, span: 1 },
    { step: 2, loss: 4.5, lr: 2e-3, span: 1 },
  ],
  ratioLoss: { average: [0.5, 0], weight: [0.02, 0], rows: [1, 0] },
  average: Float32Array.of(0.25, -1, 2.5),
  backend: 'webgpu',
  savedAt: 1234,
});

describe('checkpoint (de)serialization', () => {
  it('round-trips every field, through a structured clone as IndexedDB stores it', () => {
    const original = checkpoint();
    const back = deserializeCheckpoint(structuredClone(serializeCheckpoint(original)));
    expect(back).toEqual(original);
    expect(back.params).toBeInstanceOf(Float32Array);
  });
  it('stores copies, so a running trainer cannot change a saved checkpoint', () => {
    const original = checkpoint();
    const stored = serializeCheckpoint(original);
    original.params[0] = 99;
    expect(stored.params[0]).toBe(0.5);
  });
  it('rejects records that are not whole checkpoints', () => {
    expect(() => deserializeCheckpoint({ format: 'other' })).toThrow(/not a training checkpoint/);
    const short = { ...serializeCheckpoint(checkpoint()), v: new Float32Array(2) };
    expect(() => deserializeCheckpoint(short)).toThrow(/differ/);
    const badRng = { ...serializeCheckpoint(checkpoint()), maskRng: [1, 2, 3] };
    expect(() => deserializeCheckpoint(badRng)).toThrow(/mask random state/);
    const badRatio = {
      ...serializeCheckpoint(checkpoint()),
      ratioLoss: { average: [1], weight: [], rows: [1] },
    };
    expect(() => deserializeCheckpoint(badRatio)).toThrow(/masking ratio/);
    const shortAverage = { ...serializeCheckpoint(checkpoint()), average: new Float32Array(2) };
    expect(() => deserializeCheckpoint(shortAverage)).toThrow(/weight average .* 3 values/);
  });
  it('reads a checkpoint written before the loss by masking ratio existed', () => {
    const older = { ...serializeCheckpoint(checkpoint()), ratioLoss: undefined };
    expect(deserializeCheckpoint(older).ratioLoss).toBeNull();
  });
  it('keeps the steps each point of a thinned history covers', () => {
    const thinned = {
      ...checkpoint(),
      step: 7,
      history: [
        { step: 4, loss: 5.25, lr: 1e-3, span: 4 },
        { step: 7, loss: 4.5, lr: 2e-3, span: 3 },
      ],
    };
    const stored = serializeCheckpoint(thinned);
    expect([...stored.historySpans!]).toEqual([4, 3]);
    expect(deserializeCheckpoint(structuredClone(stored))).toEqual(thinned);
    expect(() => deserializeCheckpoint({ ...stored, historySpans: Int32Array.of(4) })).toThrow(
      /columns differ/,
    );
    expect(() => deserializeCheckpoint({ ...stored, historySpans: Int32Array.of(4, 0) })).toThrow(
      /covers no step/,
    );
  });
  it('reads a checkpoint written before the history was bounded: one point per step, no spans', () => {
    // The record as the earlier code wrote it, column for column.
    const { historySpans, ...older } = serializeCheckpoint(checkpoint());
    expect(historySpans).toBeDefined();
    expect(Object.keys(older)).not.toContain('historySpans');
    const back = deserializeCheckpoint(structuredClone(older));
    expect(back.history).toEqual([
      { step: 1, loss: 5.25, lr: 1e-3, span: 1 },
      { step: 2, loss: 4.5, lr: 2e-3, span: 1 },
    ]);
  });
  it('reads a checkpoint written before the weight average was kept', () => {
    const older = { ...serializeCheckpoint(checkpoint()), average: undefined };
    expect(deserializeCheckpoint(older).average).toBeNull();
  });
});

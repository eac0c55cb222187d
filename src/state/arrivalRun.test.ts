import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { serializeTrace } from '../core/sampler';
import { summarizePainter } from '../core/evaluation/painterFigures';
import { parseManifest } from '../model/manifest';
import { OrtModel } from '../runtime/ortModel';
import { computeArrivalTrace, readArrivalTrace, traceMatchesConfig } from './arrivalRun';
import { DEFAULT_CONFIG } from './generationConfig';

const dir = fileURLToPath(new URL('../../models/toy-sentences/', import.meta.url));
const manifest = parseManifest(JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8')));
const shippedText = readFileSync(`${dir}arrival-trace.json`, 'utf8');

describe('the shipped arrival trace', () => {
  it('is exactly the default run that the shipped model makes now', async () => {
    ort.env.wasm.numThreads = 1;
    const model = await OrtModel.create(ort, readFileSync(`${dir}model.onnx`), manifest, 'wasm');
    try {
      const trace = await computeArrivalTrace(model, DEFAULT_CONFIG, manifest);
      expect(serializeTrace(trace) + '\n').toBe(shippedText);
    } finally {
      await model.release();
    }
  }, 60_000);

  it('is shown only for the configuration it was made with', () => {
    const trace = readArrivalTrace(shippedText)!;
    expect(trace).not.toBeNull();
    expect(traceMatchesConfig(trace, DEFAULT_CONFIG, manifest)).toBe(true);
    expect(traceMatchesConfig(trace, { ...DEFAULT_CONFIG, seed: 2 }, manifest)).toBe(false);
    expect(traceMatchesConfig(trace, { ...DEFAULT_CONFIG, eosLast: false }, manifest)).toBe(false);
    expect(traceMatchesConfig(trace, { ...DEFAULT_CONFIG, length: 8 }, manifest)).toBe(false);
    expect(traceMatchesConfig(trace, { ...DEFAULT_CONFIG, sideBySide: true }, manifest)).toBe(
      false,
    );
  });

  it('paints: a sentence of several words, words before [EOS]', () => {
    const trace = readArrivalTrace(shippedText)!;
    const summary = summarizePainter([trace], manifest.special);
    expect(summary.medianWords).toBeGreaterThanOrEqual(5);
    expect(summary.firstHalfWordShare).toBeGreaterThanOrEqual(0.5);
  });

  it('a broken file is not shown', () => {
    expect(readArrivalTrace('{')).toBeNull();
    expect(readArrivalTrace('{"schema":"unmask.trace/1"}')).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { getCorpus } from '../core/corpus';
import { buildParameterLayout } from '../model/parameterLayout';
import { stepBuffers, stepFootprint } from './stepFootprint';
import { allocateTrainingBuffers } from './trainingBuffers';
import { configForPreset } from './trainingProtocol';

const corpus = getCorpus('toy-sentences');

/** A device that only records what is allocated. */
function recordingDevice() {
  const made: { label: string; bytes: number }[] = [];
  const device = {
    createBuffer: (d: GPUBufferDescriptor) => {
      made.push({ label: d.label ?? '', bytes: d.size });
      return { destroy() {} } as unknown as GPUBuffer;
    },
    queue: { writeBuffer() {} },
  } as unknown as GPUDevice;
  return { device, made };
}

describe("a training step's buffers", () => {
  it('are exactly the buffers the WebGPU trainer allocates, for every preset and a few batches', () => {
    for (const preset of ['tiny', 'small', 'toy'] as const) {
      const layout = buildParameterLayout(
        configForPreset(preset, corpus.vocab.size, corpus.seqLen),
      );
      for (const batch of [1, 7, 32]) {
        const { device, made } = recordingDevice();
        allocateTrainingBuffers(device, layout, batch, corpus.seqLen);
        const sort = (xs: { label: string; bytes: number }[]) =>
          [...xs].sort((a, b) => a.label.localeCompare(b.label));
        expect(sort(stepBuffers(layout, batch, corpus.seqLen))).toEqual(sort(made));
      }
    }
  });

  it('grow with the batch; the largest is the MLP hidden layer or the logits, by hand', () => {
    const toy = buildParameterLayout(configForPreset('toy', 147, 16));
    // [batch·L, ffn] floats: 1000 · 16 · 256 · 4 bytes (the logits: 1000 · 16 · 147 · 4).
    const f = stepFootprint(toy, 1000, 16);
    expect(f.largest).toEqual({ label: 'layer 0 mlp pre', bytes: 16_384_000 });
    const tiny = buildParameterLayout(configForPreset('tiny', 147, 16));
    expect(stepFootprint(tiny, 1000, 16).largest).toEqual({ label: 'logits', bytes: 9_408_000 });
    expect(stepFootprint(toy, 2000, 16).totalBytes).toBeGreaterThan(1.9 * f.totalBytes);
  });
});

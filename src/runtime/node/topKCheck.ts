/**
 * The GPU top-k (src/runtime/gpuTopK.ts) against cpuTopK on Dawn, in a child process on
 * SwiftShader (gpuTopK.test.ts runs it): rows with ties, a row of equal logits, large and
 * negative logits, a vocabulary not a multiple of the workgroup, k from 1 to TOPK_MAX.
 * Prints one JSON line: for each case, the largest probability difference and the ids.
 */
import { Rng } from '../../core/rng';
import { createDawnDevice } from '../../train/node/dawnDevice';
import { BufferUsage, MapMode } from '../../train/gpuFlags';
import { cpuTopK, createGpuTopK, TOPK_MAX } from '../gpuTopK';

async function read(device: GPUDevice, buffer: GPUBuffer, bytes: number): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    size: bytes,
    usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, bytes);
  device.queue.submit([encoder.finish()]);
  await staging.mapAsync(MapMode.READ);
  const out = staging.getMappedRange().slice(0);
  staging.destroy();
  return out;
}

const dawn = await createDawnDevice();
const { device } = dawn;
const rng = new Rng(7);
const cases: { label: string; rows: number; vocab: number; k: number; logits: Float32Array }[] = [];
const random = (rows: number, vocab: number, scale: number) =>
  Float32Array.from({ length: rows * vocab }, () => scale * rng.normal());
cases.push({
  label: 'toy vocabulary, k = 5',
  rows: 16,
  vocab: 147,
  k: 5,
  logits: random(16, 147, 3),
});
cases.push({ label: 'k = 1', rows: 3, vocab: 147, k: 1, logits: random(3, 147, 3) });
cases.push({
  label: `k = ${TOPK_MAX}, vocabulary 1000`,
  rows: 4,
  vocab: 1000,
  k: TOPK_MAX,
  logits: random(4, 1000, 10),
});
const ties = random(2, 70, 1);
ties.fill(0.25, 0, 70); // a row of equal logits: ids 0..k-1, each 1/70
for (const j of [3, 9, 40]) ties[70 + j] = 5; // three tied leaders
cases.push({ label: 'ties', rows: 2, vocab: 70, k: 4, logits: ties });
const big = random(2, 147, 1);
big[5] = 80;
big[147 + 100] = -80;
cases.push({ label: 'large and negative logits', rows: 2, vocab: 147, k: 3, logits: big });

const results = [];
for (const c of cases) {
  const logits = device.createBuffer({
    size: c.logits.byteLength,
    usage: BufferUsage.STORAGE | BufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(logits, 0, c.logits);
  const topK = createGpuTopK(device, logits, c.rows, c.vocab, c.k);
  const encoder = device.createCommandEncoder();
  topK.encode(encoder);
  device.queue.submit([encoder.finish()]);
  const probs = new Float32Array(await read(device, topK.probs, c.rows * c.k * 4));
  const ids = new Uint32Array(await read(device, topK.ids, c.rows * c.k * 4));
  const expected = cpuTopK(c.logits, c.rows, c.vocab, c.k);
  let maxDiff = 0;
  for (let i = 0; i < probs.length; i++)
    maxDiff = Math.max(maxDiff, Math.abs(probs[i] - expected.probs[i]));
  results.push({
    label: c.label,
    maxDiff,
    ids: Array.from(ids),
    expectedIds: Array.from(expected.ids),
  });
  topK.destroy();
  logits.destroy();
}
dawn.close();
console.log(JSON.stringify(results));

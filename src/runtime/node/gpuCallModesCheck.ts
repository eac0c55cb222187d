/**
 * The app's WebGPU call modes (OrtModel on onnxruntime-web's WebGPU build: tensors and IO
 * binding; gpuCallModes.ts) against the WASM build, on Dawn + SwiftShader in a child process
 * (webgpuSessionCalls.test.ts runs it). Every call of every trial gets a window of its own, so
 * a mode that read stale inputs or returned another call's logits shows up. Prints one JSON
 * line: per shape, the largest logit difference, the calls its trial took and what it decided;
 * and the same for a model whose IO binding fails.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { create, globals } from 'webgpu';
import { Rng } from '../../core/rng';
import { parseManifest } from '../../model/manifest';
import { OrtModel, type Ort } from '../ortModel';
import { WebGpuSessionCalls } from '../webgpuSessionCalls';
import { acceptSharedMemoryInWriteBuffer } from './dawnSharedMemory';

Object.assign(globalThis, globals);
acceptSharedMemoryInWriteBuffer();
const gpu = create([]);
const host = globalThis as { navigator?: { gpu?: GPU } };
host.navigator ??= {};
host.navigator.gpu = gpu;

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dist = path.join(root, 'node_modules/onnxruntime-web/dist') + path.sep;
const load = async (file: string) =>
  (await import(pathToFileURL(dist + file).href)) as unknown as Ort;
const [wasmOrt, webgpuOrt] = [
  await load('ort.wasm.bundle.min.mjs'),
  await load('ort.webgpu.bundle.min.mjs'),
];
for (const ort of [wasmOrt, webgpuOrt]) {
  ort.env.wasm.wasmPaths = dist;
  ort.env.wasm.numThreads = 1;
}

const dir = path.join(root, 'models/toy-sentences/');
const manifest = parseManifest(JSON.parse(readFileSync(`${dir}manifest.json`, 'utf8')));
const onnx = readFileSync(`${dir}model.onnx`);
const wasm = await OrtModel.create(wasmOrt, onnx, manifest, 'wasm');
const webgpu = await OrtModel.create(webgpuOrt, onnx, manifest, 'webgpu');

const rng = new Rng(11);
const V = manifest.vocab.length;
const L = manifest.seqLen;
function window(batch: number, length: number): Int32Array {
  return Int32Array.from({ length: batch * length }, () =>
    rng.uniform() < 0.5 ? manifest.special.mask : 4 + rng.int(V - 4),
  );
}

const shapes = [
  { batch: 1, length: L },
  { batch: 3, length: L },
  { batch: 1, length: L - 5 },
];
const results = [];
for (const { batch, length } of shapes) {
  let maxDiff = 0;
  let calls = 0;
  while (!webgpu.callModeDecision(batch, length) && calls < 60) {
    const tokens = window(batch, length);
    const [a, b] = [await wasm.run(tokens, batch), await webgpu.run(tokens, batch)];
    if (a.length !== b.length) throw new Error(`lengths ${a.length} and ${b.length}`);
    for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
    calls++;
  }
  // And a call after the trial, in the mode it settled on.
  const tokens = window(batch, length);
  const [a, b] = [await wasm.run(tokens, batch), await webgpu.run(tokens, batch)];
  for (let i = 0; i < a.length; i++) maxDiff = Math.max(maxDiff, Math.abs(a[i] - b[i]));
  results.push({ batch, length, calls, maxDiff, decision: webgpu.callModeDecision(batch, length) });
}
const dropped = webgpu.gpuCallModes()!.dropped;
await webgpu.release();

// A mode that fails (here IO binding, made to throw) is dropped, and the call that met the
// failure is made again with tensors: the caller gets the right logits.
const call = WebGpuSessionCalls.prototype.call;
WebGpuSessionCalls.prototype.call = function (mode, inputs, dims) {
  if (mode === 'io-binding') throw new Error('no GPU buffers today');
  return call.call(this, mode, inputs, dims);
};
const failing = await OrtModel.create(webgpuOrt, onnx, manifest, 'webgpu');
let failingDiff = 0;
let failingCalls = 0;
while (!failing.callModeDecision(1, L) && failingCalls < 30) {
  const tokens = window(1, L);
  const [a, b] = [await wasm.run(tokens, 1), await failing.run(tokens, 1)];
  for (let i = 0; i < a.length; i++) failingDiff = Math.max(failingDiff, Math.abs(a[i] - b[i]));
  failingCalls++;
}
const fallback = { calls: failingCalls, maxDiff: failingDiff, ...failing.gpuCallModes()! };
WebGpuSessionCalls.prototype.call = call;
await failing.release();
await wasm.release();
console.log(JSON.stringify({ results, dropped, fallback }));
// Dawn keeps the process alive; the result is out.
process.exit(0);

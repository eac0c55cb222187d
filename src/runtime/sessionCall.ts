import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { Ort } from './ortModel';

/** One input of a model call, as the CPU holds it. */
export interface CallInput {
  name: string;
  type: 'int32' | 'int64' | 'float32';
  data: Int32Array | BigInt64Array | Float32Array;
  dims: number[];
}

/**
 * One session call with CPU tensors in: the logits as a tight Float32Array of its own (so that it
 * can be transferred to the page), whether ORT left them on the CPU (WASM) or on the GPU
 * (WebGPU with preferredOutputLocation 'gpu-buffer': getData reads them back).
 */
export async function runWithTensors(
  ort: Ort,
  session: InferenceSession,
  inputs: readonly CallInput[],
  logitsName: string,
): Promise<Float32Array> {
  const feeds: Record<string, Tensor> = {};
  for (const x of inputs) feeds[x.name] = new ort.Tensor(x.type, x.data, x.dims);
  const results = await session.run(feeds);
  try {
    const data = (await results[logitsName].getData(true)) as Float32Array;
    return data.byteOffset === 0 && data.buffer.byteLength === data.byteLength
      ? data
      : data.slice();
  } finally {
    for (const v of Object.values(results)) v.dispose();
  }
}

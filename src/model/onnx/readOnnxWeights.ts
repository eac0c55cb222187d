import type { onnx } from 'onnx-proto';
import type { ParameterLayout } from '../parameterLayout';
import { proto } from './graphBuilder';

/**
 * Reads the weights of a model this project exported back into the flat parameter array of its
 * layout (to continue training from a package). Every parameter must be present as a float32
 * initializer of the right size; anything else is refused with the parameter named.
 */
export function readOnnxWeights(bytes: Uint8Array, layout: ParameterLayout): Float32Array {
  let model: onnx.ModelProto;
  try {
    model = proto.ModelProto.decode(bytes);
  } catch (e) {
    throw new Error(`not an ONNX model: ${(e as Error).message}`, { cause: e });
  }
  const byName = new Map((model.graph?.initializer ?? []).map((t) => [t.name, t]));
  const params = new Float32Array(layout.total);
  for (const spec of layout.specs) {
    const tensor = byName.get(spec.name);
    if (!tensor) throw new Error(`the model has no initializer "${spec.name}"`);
    const raw = tensor.rawData;
    if (
      tensor.dataType !== proto.TensorProto.DataType.FLOAT ||
      !raw ||
      raw.byteLength !== spec.size * 4
    ) {
      throw new Error(
        `initializer "${spec.name}" is not ${spec.size} float32 values stored as raw data`,
      );
    }
    // raw_data is little-endian float32; copy through a DataView so alignment does not matter.
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < spec.size; i++) params[spec.offset + i] = view.getFloat32(i * 4, true);
  }
  return params;
}

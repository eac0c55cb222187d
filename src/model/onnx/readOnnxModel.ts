import type { onnx } from 'onnx-proto';
import { proto } from './graphBuilder';

/** One graph input or output, in the terms onnxruntime-web uses for its metadata. */
export interface OnnxValueSummary {
  name: string;
  /** Element type as ORT names it ('int32', 'int64', 'float32', …), or 'non-tensor'. */
  type: string;
  /** Per dimension: a size, a symbolic name, or null when the file leaves it open. */
  shape: (number | string | null)[];
  /** null when the file does not declare a shape at all (then `shape` is empty). */
  rank: number | null;
}

export interface OnnxModelSummary {
  irVersion: number;
  /** Version of the default ('' or 'ai.onnx') operator set, null if the model imports none. */
  opset: number | null;
  producer: string;
  inputs: OnnxValueSummary[];
  outputs: OnnxValueSummary[];
  /** Distinct operator types used by the main graph, sorted. */
  opTypes: string[];
  initializerCount: number;
  /** Elements in all initializers: the learned weights plus any constants stored there. */
  parameterCount: number;
}

const ELEMENT_TYPE_NAMES: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  14: 'complex64',
  15: 'complex128',
  16: 'bfloat16',
};

/** protobufjs returns int64 fields as Long objects when the 'long' package is present. */
type Int64 = number | { toNumber(): number };
const toNumber = (v: Int64 | null | undefined): number =>
  v == null ? 0 : typeof v === 'number' ? v : v.toNumber();

function summarizeValue(value: onnx.IValueInfoProto): OnnxValueSummary {
  const name = value.name ?? '';
  const tensor = value.type?.tensorType;
  if (!tensor) return { name, type: 'non-tensor', shape: [], rank: null };
  const elem = tensor.elemType ?? 0;
  const type = ELEMENT_TYPE_NAMES[elem] ?? `unknown(${elem})`;
  if (!tensor.shape) return { name, type, shape: [], rank: null };
  const shape = (tensor.shape.dim ?? []).map((dim) => {
    // Decoded messages say which member of the dimension's oneof is set.
    const which = (dim as onnx.TensorShapeProto.Dimension).value;
    if (which === 'dimValue') return toNumber(dim.dimValue as Int64);
    if (which === 'dimParam') return dim.dimParam || null;
    return null;
  });
  return { name, type, shape, rank: shape.length };
}

/**
 * Decodes a .onnx file and describes its interface, so a user's model can be checked against its
 * manifest before a session is opened. Throws "not an ONNX model: …" on anything else.
 */
export function readOnnxModel(bytes: Uint8Array): OnnxModelSummary {
  let model: onnx.ModelProto;
  try {
    model = proto.ModelProto.decode(bytes);
  } catch (e) {
    throw new Error(`not an ONNX model: the bytes do not decode (${(e as Error).message})`, {
      cause: e,
    });
  }
  // Decoded messages are class instances whose repeated fields are always arrays.
  const graph = model.graph as onnx.GraphProto | null;
  if (!graph || graph.node.length === 0 || graph.output.length === 0) {
    throw new Error('not an ONNX model: it holds no graph with nodes and outputs');
  }
  const opsetEntry = model.opsetImport.find((o) => !o.domain || o.domain === 'ai.onnx');
  const initializerNames = new Set(graph.initializer.map((t) => t.name));
  const elements = (dims: Int64[]) => dims.reduce<number>((n, d) => n * toNumber(d), 1);
  return {
    irVersion: toNumber(model.irVersion as Int64),
    opset: opsetEntry ? toNumber(opsetEntry.version as Int64) : null,
    producer: model.producerName,
    // Before IR 4 initializers were also listed as inputs; only the real feeds count here.
    inputs: graph.input.filter((v) => !initializerNames.has(v.name)).map(summarizeValue),
    outputs: graph.output.map(summarizeValue),
    opTypes: [...new Set(graph.node.map((n) => n.opType ?? ''))].sort(),
    initializerCount: graph.initializer.length,
    parameterCount: graph.initializer.reduce((n, t) => n + elements(t.dims as Int64[]), 0),
  };
}

import onnxProto from 'onnx-proto';
import type { onnx } from 'onnx-proto';

/** onnx-proto is CommonJS; its one export is the `onnx` namespace of generated message classes. */
export const proto = onnxProto.onnx;

const DataType = proto.TensorProto.DataType;
const AttributeType = proto.AttributeProto.AttributeType;

export type SymbolicShape = (number | string)[];

export function intAttr(name: string, value: number): onnx.IAttributeProto {
  return { name, type: AttributeType.INT, i: value };
}

export function intsAttr(name: string, values: number[]): onnx.IAttributeProto {
  return { name, type: AttributeType.INTS, ints: values };
}

export function floatAttr(name: string, value: number): onnx.IAttributeProto {
  return { name, type: AttributeType.FLOAT, f: value };
}

/**
 * Tensor payloads go in raw_data, little-endian whatever the host, so the same numbers always
 * give the same bytes and a float32 weight costs exactly 4 bytes in the file.
 */
function float32LittleEndian(values: ArrayLike<number>): Uint8Array {
  const bytes = new Uint8Array(values.length * 4);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(i * 4, values[i], true);
  return bytes;
}

function int64LittleEndian(values: readonly number[]): Uint8Array {
  const bytes = new Uint8Array(values.length * 8);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return bytes;
}

function tensorValueInfo(
  name: string,
  elemType: onnx.TensorProto.DataType,
  shape: SymbolicShape,
): onnx.IValueInfoProto {
  const dim = shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType, shape: { dim } } } };
}

/**
 * Collects the nodes, initializers and graph io of one ONNX graph. Every node gets a stable,
 * readable name derived from its output, so building twice from the same weights gives the
 * same bytes.
 */
export class GraphBuilder {
  private readonly nodes: onnx.INodeProto[] = [];
  private readonly initializers: onnx.ITensorProto[] = [];
  private readonly inputs: onnx.IValueInfoProto[] = [];
  private readonly outputs: onnx.IValueInfoProto[] = [];
  private readonly names = new Set<string>();

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`ONNX graph: tensor name ${name} used twice`);
    this.names.add(name);
    return name;
  }

  input(name: string, elemType: onnx.TensorProto.DataType, shape: SymbolicShape): string {
    this.inputs.push(tensorValueInfo(this.claim(name), elemType, shape));
    return name;
  }

  output(name: string, elemType: onnx.TensorProto.DataType, shape: SymbolicShape): void {
    if (!this.names.has(name)) throw new Error(`ONNX graph: output ${name} is never produced`);
    this.outputs.push(tensorValueInfo(name, elemType, shape));
  }

  /** A learned float32 weight, stored as a graph initializer under its parameter name. */
  initializer(name: string, shape: number[], values: ArrayLike<number>): string {
    this.initializers.push({
      name: this.claim(name),
      dims: shape,
      dataType: DataType.FLOAT,
      rawData: float32LittleEndian(values),
    });
    return name;
  }

  /**
   * A fixed helper tensor (scale, mask, shape vector) as a Constant node, so the initializers
   * hold exactly the learned parameters.
   */
  constFloat(name: string, shape: number[], values: ArrayLike<number>): string {
    const value = { dims: shape, dataType: DataType.FLOAT, rawData: float32LittleEndian(values) };
    return this.constant(name, value);
  }

  constInt64(name: string, shape: number[], values: number[]): string {
    const value = { dims: shape, dataType: DataType.INT64, rawData: int64LittleEndian(values) };
    return this.constant(name, value);
  }

  private constant(name: string, value: onnx.ITensorProto): string {
    const attribute = { name: 'value', type: AttributeType.TENSOR, t: { name, ...value } };
    return this.node('Constant', [], name, [attribute]);
  }

  /** Appends one single-output node and returns the name of its output. */
  node(
    opType: string,
    inputs: string[],
    output: string,
    attribute: onnx.IAttributeProto[] = [],
  ): string {
    for (const input of inputs) {
      if (!this.names.has(input)) throw new Error(`ONNX graph: ${opType} reads unknown ${input}`);
    }
    this.nodes.push({
      name: output,
      opType,
      input: inputs,
      output: [this.claim(output)],
      attribute,
    });
    return output;
  }

  /** Appends one node with several outputs (e.g. TopK's values and indices). */
  multiOutputNode(
    opType: string,
    inputs: string[],
    outputs: string[],
    attribute: onnx.IAttributeProto[] = [],
  ): string[] {
    for (const input of inputs) {
      if (!this.names.has(input)) throw new Error(`ONNX graph: ${opType} reads unknown ${input}`);
    }
    this.nodes.push({
      name: outputs.join('+'),
      opType,
      input: inputs,
      output: outputs.map((o) => this.claim(o)),
      attribute,
    });
    return outputs;
  }

  graph(name: string, docString?: string): onnx.IGraphProto {
    return {
      name,
      docString,
      node: this.nodes,
      initializer: this.initializers,
      input: this.inputs,
      output: this.outputs,
    };
  }
}

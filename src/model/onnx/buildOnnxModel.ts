import { headDim } from '../config';
import { GELU_CUBIC, GELU_SQRT_2_OVER_PI } from '../gelu';
import { type FloatArray, type ParameterLayout, layerPrefix } from '../parameterLayout';
import { GraphBuilder, floatAttr, intAttr, intsAttr, proto } from './graphBuilder';

export const ONNX_OPSET = 17;
export const ONNX_IR_VERSION = 8;

/**
 * Added to attention scores above the diagonal in causal models. Finite rather than -inf so no
 * backend can turn it into NaN; exp() of it underflows to exactly 0 in float32, like -inf.
 */
export const CAUSAL_MASK_VALUE = -1e9;

export interface OnnxIoNames {
  tokens: string;
  t: string;
  logits: string;
}

export interface BuildOnnxOptions {
  io?: Partial<OnnxIoNames>;
  producer?: string;
  docString?: string;
  /**
   * Reduce on the device instead of returning logits: the graph ends in Softmax and TopK and
   * outputs, per position, the k most probable token ids (TOPK_IDS, int64, best first) and
   * their probabilities (TOPK_PROBS, float32; the first is the position's confidence):
   * [batch, length, k] each, where logits are [batch, length, vocab].
   */
  topK?: number;
}

/** Output names of a graph built with `topK`. */
export const TOPK_PROBS = 'topk_probs';
export const TOPK_IDS = 'topk_ids';

const DataType = proto.TensorProto.DataType;

/**
 * The network of config.ts as an ONNX graph (opset 17): tokens int32 [batch, length] (and t
 * float32 [batch, 1] when time-conditioned) to logits float32 [batch, length, vocab], for any
 * length from 1 to seqLen. Weights become float32 initializers named as in the layout. Only ops
 * that onnxruntime-web runs natively on WebGPU are used; the int64 shape arithmetic is a handful
 * of tiny nodes that ORT keeps on the CPU.
 */
export function buildOnnxModel(
  layout: ParameterLayout,
  params: FloatArray,
  options: BuildOnnxOptions = {},
): Uint8Array {
  const { config } = layout;
  if (params.length !== layout.total) {
    throw new Error(`buildOnnxModel: expected ${layout.total} parameters, got ${params.length}`);
  }
  const io: OnnxIoNames = { tokens: 'tokens', t: 't', logits: 'logits', ...options.io };
  const { dModel: d, heads: H, seqLen: S, vocabSize: V } = config;
  const dh = headDim(config);
  const g = new GraphBuilder();

  const tokens = g.input(io.tokens, DataType.INT32, ['batch', 'length']);
  const t = config.timeConditioning ? g.input(io.t, DataType.FLOAT, ['batch', 1]) : null;
  for (const spec of layout.specs) {
    g.initializer(spec.name, spec.shape, params.subarray(spec.offset, spec.offset + spec.size));
  }

  // The window length as a 1-element int64 vector; positions and mask are sliced to it.
  const length = g.node('Shape', [tokens], 'shape.length', [
    intAttr('start', 1),
    intAttr('end', 2),
  ]);
  const zero = g.constInt64('const.zero', [1], [0]);
  const axis0 = g.constInt64('const.axis0', [1], [0]);

  const tokEmb = g.node('Gather', ['tok_emb', tokens], 'embed.tokens', [intAttr('axis', 0)]);
  const posEmb = g.node('Slice', ['pos_emb', zero, length, axis0], 'embed.positions');
  let h = g.node('Add', [tokEmb, posEmb], 'embed.sum');
  if (t) {
    const scaled = g.node('Mul', [t, 'time_w'], 'embed.time.scaled'); // [B,1]·[1,d] → [B,d]
    const shifted = g.node('Add', [scaled, 'time_b'], 'embed.time.shifted');
    const axis1 = g.constInt64('const.axis1', [1], [1]);
    const perPosition = g.node('Unsqueeze', [shifted, axis1], 'embed.time'); // [B,1,d]
    h = g.node('Add', [h, perPosition], 'embed.out');
  }

  let mask: string | null = null;
  if (config.causal) {
    const full = new Float32Array(S * S);
    for (let i = 0; i < S; i++) for (let j = i + 1; j < S; j++) full[i * S + j] = CAUSAL_MASK_VALUE;
    const fullMask = g.constFloat('const.causal_mask', [S, S], full);
    const lengthSquare = g.node('Concat', [length, length], 'shape.length_square', [
      intAttr('axis', 0),
    ]);
    const zeros2 = g.constInt64('const.zero2', [2], [0, 0]);
    const axes01 = g.constInt64('const.axes01', [2], [0, 1]);
    mask = g.node('Slice', [fullMask, zeros2, lengthSquare, axes01], 'causal_mask');
  }

  const epsilon = floatAttr('epsilon', config.layerNormEps);
  const layerNorm = (x: string, prefix: string) =>
    g.node('LayerNormalization', [x, `${prefix}.gamma`, `${prefix}.beta`], `${prefix}.out`, [
      intAttr('axis', -1),
      epsilon,
    ]);
  const linear = (x: string, w: string, b: string, out: string) =>
    g.node('Add', [g.node('MatMul', [x, w], `${out}.matmul`), b], out);

  const splitHeads = g.constInt64('const.split_heads', [4], [0, 0, H, dh]);
  const mergeHeads = g.constInt64('const.merge_heads', [3], [0, 0, d]);
  const scale = g.constFloat('const.attn_scale', [], [1 / Math.sqrt(dh)]);
  const half = g.constFloat('const.half', [], [0.5]);
  const one = g.constFloat('const.one', [], [1]);
  const cubic = g.constFloat('const.gelu_cubic', [], [GELU_CUBIC]);
  const sqrt2OverPi = g.constFloat('const.gelu_sqrt_2_over_pi', [], [GELU_SQRT_2_OVER_PI]);

  // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x·x·x))), the same tanh form as gelu.ts.
  const gelu = (x: string, out: string) => {
    const x2 = g.node('Mul', [x, x], `${out}.x2`);
    const x3 = g.node('Mul', [x2, x], `${out}.x3`);
    const inner = g.node('Add', [x, g.node('Mul', [x3, cubic], `${out}.cubic`)], `${out}.inner`);
    const th = g.node('Tanh', [g.node('Mul', [inner, sqrt2OverPi], `${out}.u`)], `${out}.tanh`);
    const gate = g.node('Add', [th, one], `${out}.gate`);
    return g.node('Mul', [g.node('Mul', [x, half], `${out}.half_x`), gate], out);
  };

  for (let l = 0; l < config.layers; l++) {
    const p = layerPrefix(l);
    const a = layerNorm(h, `${p}.ln1`);
    // [B,L,d] → [B,L,H,dh] → [B,H,L,dh]; keys go straight to [B,H,dh,L] for q·kᵀ.
    const heads = (name: string, perm: number[]) => {
      const x = linear(a, `${p}.attn.w${name}`, `${p}.attn.b${name}`, `${p}.attn.${name}`);
      const split = g.node('Reshape', [x, splitHeads], `${p}.attn.${name}.split`);
      return g.node('Transpose', [split], `${p}.attn.${name}.heads`, [intsAttr('perm', perm)]);
    };
    const q = heads('q', [0, 2, 1, 3]);
    const kT = heads('k', [0, 2, 3, 1]);
    const v = heads('v', [0, 2, 1, 3]);
    const raw = g.node('MatMul', [q, kT], `${p}.attn.scores_raw`);
    let scores = g.node('Mul', [raw, scale], `${p}.attn.scores`);
    if (mask) scores = g.node('Add', [scores, mask], `${p}.attn.scores_masked`);
    const weights = g.node('Softmax', [scores], `${p}.attn.weights`, [intAttr('axis', -1)]);
    const o = g.node('MatMul', [weights, v], `${p}.attn.o_heads`);
    const oT = g.node('Transpose', [o], `${p}.attn.o_positions`, [intsAttr('perm', [0, 2, 1, 3])]);
    const merged = g.node('Reshape', [oT, mergeHeads], `${p}.attn.o`);
    const attn = linear(merged, `${p}.attn.wo`, `${p}.attn.bo`, `${p}.attn.out`);
    h = g.node('Add', [h, attn], `${p}.attn.residual`);

    const m = layerNorm(h, `${p}.ln2`);
    const hidden = gelu(linear(m, `${p}.mlp.w1`, `${p}.mlp.b1`, `${p}.mlp.pre`), `${p}.mlp.act`);
    const mlp = linear(hidden, `${p}.mlp.w2`, `${p}.mlp.b2`, `${p}.mlp.out`);
    h = g.node('Add', [h, mlp], `${p}.mlp.residual`);
  }

  const final = layerNorm(h, 'lnf');
  g.node('Add', [g.node('MatMul', [final, 'head.w'], 'head.matmul'), 'head.b'], io.logits);
  if (options.topK === undefined) {
    g.output(io.logits, DataType.FLOAT, ['batch', 'length', V]);
  } else {
    const k = options.topK;
    if (!Number.isInteger(k) || k < 1 || k > V) {
      throw new Error(`buildOnnxModel: topK must be a whole number from 1 to ${V}, got ${k}`);
    }
    const probs = g.node('Softmax', [io.logits], 'head.probs', [intAttr('axis', -1)]);
    const kValue = g.constInt64('const.top_k', [1], [k]);
    g.multiOutputNode(
      'TopK',
      [probs, kValue],
      [TOPK_PROBS, TOPK_IDS],
      [intAttr('axis', -1), intAttr('largest', 1), intAttr('sorted', 1)],
    );
    g.output(TOPK_PROBS, DataType.FLOAT, ['batch', 'length', k]);
    g.output(TOPK_IDS, DataType.INT64, ['batch', 'length', k]);
  }

  const model = proto.ModelProto.create({
    irVersion: ONNX_IR_VERSION,
    opsetImport: [{ domain: '', version: ONNX_OPSET }],
    producerName: options.producer ?? 'unmask',
    docString: options.docString,
    graph: g.graph('unmask'),
  });
  // Copy out of protobufjs's writer (a pooled Buffer in Node) into a plain, owned array.
  return new Uint8Array(proto.ModelProto.encode(model).finish());
}

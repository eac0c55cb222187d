import { headDim } from '../model/config';
import type { TrainingBatch } from '../model/cpuTrainer';
import { layerPrefix, type ParameterLayout } from '../model/parameterLayout';
import { attentionBackwardDispatches, attentionForwardDispatches } from './attentionPlan';
import {
  compileDispatches,
  type CompiledDispatch,
  type DispatchSpec,
  encodeDispatches,
} from './gpuDispatch';
import { adamwDispatch } from './kernels/adamwKernel';
import {
  embeddingBackwardDispatch,
  embeddingForwardDispatch,
  type EmbeddingShape,
  tokenPositionIndex,
} from './kernels/embeddingKernels';
import { geluBackwardDispatch, geluForwardDispatch } from './kernels/geluKernels';
import {
  layerNormBackwardInputDispatch,
  layerNormBackwardParamsDispatch,
  layerNormForwardDispatch,
  type LayerNormShape,
} from './kernels/layerNormKernels';
import { crossEntropyDispatch, stepStatsDispatch } from './kernels/lossKernels';
import { type MatmulArgs, matmulDispatch, rowMajor, transposed } from './kernels/matmulKernel';
import { splitKDispatches, splitKPlan, splitKScratchFloats } from './kernels/splitKMatmul';
import { BufferUsage } from './gpuFlags';
import { normPartialCount, squaredNormPartialsDispatch } from './kernels/reductionKernels';
import type { TrainerKernels } from './trainerKernels';
import { allocateTrainingBuffers, type TrainingBuffers } from './trainingBuffers';

/**
 * The GPU side of one training step for a fixed (batch, length): the buffers of
 * trainingBuffers.ts and the step as four fixed lists of dispatches, built once:
 *
 *   forward   embedding → per layer (LN1, q|k|v, scores, softmax, A·v, Wo, LN2, W1, GELU, W2)
 *             → final LN → head                                   (logits)
 *   loss      weighted cross-entropy per position                 (rowLoss, dLogits)
 *   backward  head → final LN → per layer, last first → embeddings (grads), then the gradient
 *             norm partials and the stats kernel                  (stats = loss, norm, clip,
 *                                                                  then each window's loss)
 *   update    AdamW                                               (params, m, v)
 *
 * Every gradient element is written exactly once per step (products and reductions write, they
 * do not accumulate into grads), so grads never needs clearing.
 */

export interface TrainingProgram {
  layout: ParameterLayout;
  batch: number;
  length: number;
  buffers: TrainingBuffers;
  forward: CompiledDispatch[];
  loss: CompiledDispatch[];
  backward: CompiledDispatch[];
  update: CompiledDispatch[];
  /** Writes tokens, targets, weights, t and the token index of one batch (queue.writeBuffer). */
  uploadBatch(batch: TrainingBatch): void;
  /** Records the given phases, in order, into one compute pass of `encoder`. */
  encode(encoder: GPUCommandEncoder, phases: CompiledDispatch[][]): void;
  destroy(): void;
}

export function createTrainingProgram(
  device: GPUDevice,
  kernels: TrainerKernels,
  layout: ParameterLayout,
  batch: number,
  length: number,
  maxGradNorm: number,
): TrainingProgram {
  const config = layout.config;
  if (!Number.isInteger(batch) || batch < 1) {
    throw new Error(`batch must be a positive integer, got ${batch}`);
  }
  if (!Number.isInteger(length) || length < 1 || length > config.seqLen) {
    throw new Error(`length must be an integer in 1..${config.seqLen}, got ${length}`);
  }
  const { dModel: d, ffn: f, vocabSize: V, heads: H, layers: layerCount } = config;
  const rows = batch * length;
  const attentionShape = {
    batch,
    length,
    heads: H,
    headDim: headDim(config),
    causal: config.causal,
  };
  const { buffers, owned } = allocateTrainingBuffers(device, layout, batch, length);
  const layers = buffers.layers;
  const total = layout.total;
  const partialCount = normPartialCount(total);

  const off = (name: string): number => {
    const spec = layout.byName.get(name);
    if (!spec) throw new Error(`unknown parameter ${name}`);
    return spec.offset;
  };
  const mm = kernels.matmul;
  const B = buffers;
  const eps = config.layerNormEps;
  const lnShape = (prefix: string): LayerNormShape => ({
    rows,
    dim: d,
    gammaOffset: off(`${prefix}.gamma`),
    betaOffset: off(`${prefix}.beta`),
  });
  const embeddingShape: EmbeddingShape = {
    batch,
    length,
    dim: d,
    vocab: V,
    seqLen: config.seqLen,
    timeConditioning: config.timeConditioning,
    tokOffset: off('tok_emb'),
    posOffset: off('pos_emb'),
    timeWOffset: config.timeConditioning ? off('time_w') : 0,
    timeBOffset: config.timeConditioning ? off('time_b') : 0,
  };

  // q, k, v are computed (and their weight gradients taken) by one batched product: the three
  // projections sit at a constant distance in the flat parameter array.
  const projectionStride = (p: string): number => {
    const stride = off(`${p}.attn.wk`) - off(`${p}.attn.wq`);
    if (
      off(`${p}.attn.wv`) - off(`${p}.attn.wk`) !== stride ||
      off(`${p}.attn.bk`) - off(`${p}.attn.bq`) !== stride ||
      off(`${p}.attn.bv`) - off(`${p}.attn.bk`) !== stride
    ) {
      throw new Error('the parameter layout no longer places wq, wk, wv at equal distances');
    }
    return stride;
  };

  const forward: DispatchSpec[] = [
    embeddingForwardDispatch(kernels.embedding, embeddingShape, {
      tokens: B.tokens,
      t: B.t,
      params: B.params,
      h: B.residual,
    }),
  ];
  for (let l = 0; l < layerCount; l++) {
    const p = layerPrefix(l);
    const a = layers[l];
    forward.push(
      layerNormForwardDispatch(
        kernels.layerNorm,
        `${p} ln1`,
        lnShape(`${p}.ln1`),
        eps,
        B.residual,
        B.params,
        {
          y: a.ln1Out,
          xhat: a.ln1Xhat,
          rstd: a.ln1Rstd,
        },
      ),
    );
    const stride = projectionStride(p);
    forward.push(
      matmulDispatch(mm, {
        label: `${p} q|k|v`,
        m: rows,
        n: d,
        k: d,
        batchInner: 3,
        a: rowMajor(a.ln1Out, 0, d),
        b: { ...rowMajor(B.params, off(`${p}.attn.wq`), d), zInnerStride: stride },
        bias: { buffer: B.params, offset: off(`${p}.attn.bq`), zInnerStride: stride },
        c: { ...rowMajor(a.qkv, 0, d), zInnerStride: rows * d },
      }),
    );
    forward.push(
      ...attentionForwardDispatches(kernels, p, attentionShape, {
        qkv: a.qkv,
        probs: a.probs,
        attnOut: a.attnOut,
      }),
    );
    forward.push(
      matmulDispatch(mm, {
        label: `${p} attention output projection`,
        m: rows,
        n: d,
        k: d,
        a: rowMajor(a.attnOut, 0, d),
        b: rowMajor(B.params, off(`${p}.attn.wo`), d),
        bias: { buffer: B.params, offset: off(`${p}.attn.bo`) },
        c: rowMajor(B.residual, 0, d),
        accumulate: true,
      }),
      layerNormForwardDispatch(
        kernels.layerNorm,
        `${p} ln2`,
        lnShape(`${p}.ln2`),
        eps,
        B.residual,
        B.params,
        {
          y: a.ln2Out,
          xhat: a.ln2Xhat,
          rstd: a.ln2Rstd,
        },
      ),
      matmulDispatch(mm, {
        label: `${p} mlp w1`,
        m: rows,
        n: f,
        k: d,
        a: rowMajor(a.ln2Out, 0, d),
        b: rowMajor(B.params, off(`${p}.mlp.w1`), f),
        bias: { buffer: B.params, offset: off(`${p}.mlp.b1`) },
        c: rowMajor(a.mlpPre, 0, f),
      }),
      geluForwardDispatch(kernels.gelu, `${p} gelu`, rows * f, a.mlpPre, a.mlpAct),
      matmulDispatch(mm, {
        label: `${p} mlp w2`,
        m: rows,
        n: d,
        k: f,
        a: rowMajor(a.mlpAct, 0, f),
        b: rowMajor(B.params, off(`${p}.mlp.w2`), d),
        bias: { buffer: B.params, offset: off(`${p}.mlp.b2`) },
        c: rowMajor(B.residual, 0, d),
        accumulate: true,
      }),
    );
  }
  forward.push(
    layerNormForwardDispatch(kernels.layerNorm, 'lnf', lnShape('lnf'), eps, B.residual, B.params, {
      y: B.lnfOut,
      xhat: B.lnfXhat,
      rstd: B.lnfRstd,
    }),
    matmulDispatch(mm, {
      label: 'head',
      m: rows,
      n: V,
      k: d,
      a: rowMajor(B.lnfOut, 0, d),
      b: rowMajor(B.params, off('head.w'), V),
      bias: { buffer: B.params, offset: off('head.b') },
      c: rowMajor(B.logits, 0, V),
    }),
  );

  const loss: DispatchSpec[] = [
    crossEntropyDispatch(kernels.loss, rows, V, {
      logits: B.logits,
      targets: B.targets,
      weights: B.weights,
      dLogits: B.dLogits,
      rowLoss: B.rowLoss,
    }),
  ];

  const backward: DispatchSpec[] = [];
  /** A weight-gradient product, cut along k where the GPU would otherwise idle (splitKMatmul.ts). */
  const weightGradDispatches = (args: MatmulArgs): DispatchSpec[] => {
    const splitK = kernels.splitK;
    const plan = splitK && splitKPlan(mm.variant, args, splitK.settings);
    if (!plan || !splitK || mm.variant !== 'tiled') return [matmulDispatch(mm, args)];
    const scratch = device.createBuffer({
      label: `${args.label}: split-K partials`,
      size: splitKScratchFloats(args, plan) * 4,
      usage: BufferUsage.STORAGE,
    });
    owned.push(scratch);
    return splitKDispatches(mm, splitK.reduce, args, plan, scratch);
  };
  /**
   * dW = Xᵀ·dY and db = Σ_rows dY for y = x·W + b, written into grads by one product: the
   * ones row appended to Xᵀ turns into the bias gradient.
   */
  const linearParamGrads = (
    label: string,
    x: GPUBuffer,
    dy: GPUBuffer,
    inDim: number,
    outDim: number,
    weight: string,
    bias: string,
  ) => {
    backward.push(
      ...weightGradDispatches({
        label: `${label} weight and bias grads`,
        m: inDim,
        n: outDim,
        k: rows,
        a: transposed(x, 0, inDim),
        b: rowMajor(dy, 0, outDim),
        c: rowMajor(B.grads, off(weight), outDim),
        onesRow: { offset: off(bias) },
      }),
    );
  };
  /** dX (+)= dY·Wᵀ for y = x·W with W [inDim, outDim] in params. */
  const linearInputGrad = (
    label: string,
    dy: GPUBuffer,
    dx: GPUBuffer,
    inDim: number,
    outDim: number,
    weight: string,
    accumulate = false,
  ) =>
    matmulDispatch(mm, {
      label: `${label} input grad`,
      m: rows,
      n: inDim,
      k: outDim,
      a: rowMajor(dy, 0, outDim),
      b: transposed(B.params, off(weight), outDim),
      c: rowMajor(dx, 0, inDim),
      accumulate,
    });
  const layerNormBackward = (
    label: string,
    prefix: string,
    xhat: GPUBuffer,
    rstd: GPUBuffer,
    accumulate: boolean,
  ) => {
    const shape = lnShape(prefix);
    backward.push(
      layerNormBackwardParamsDispatch(kernels.layerNorm, `${label} param grads`, shape, {
        dy: B.dNormOut,
        xhat,
        grads: B.grads,
      }),
      layerNormBackwardInputDispatch(
        kernels.layerNorm,
        `${label} input grad`,
        shape,
        { dy: B.dNormOut, xhat, rstd, params: B.params, dx: B.dResidual },
        accumulate,
      ),
    );
  };

  linearParamGrads('head', B.lnfOut, B.dLogits, d, V, 'head.w', 'head.b');
  backward.push(linearInputGrad('head', B.dLogits, B.dNormOut, d, V, 'head.w'));
  layerNormBackward('lnf', 'lnf', B.lnfXhat, B.lnfRstd, false);
  for (let l = layerCount - 1; l >= 0; l--) {
    const p = layerPrefix(l);
    const a = layers[l];
    linearParamGrads(`${p} mlp w2`, a.mlpAct, B.dResidual, f, d, `${p}.mlp.w2`, `${p}.mlp.b2`);
    backward.push(
      linearInputGrad(`${p} mlp w2`, B.dResidual, B.dHidden, f, d, `${p}.mlp.w2`),
      geluBackwardDispatch(kernels.gelu, `${p} gelu backward`, rows * f, a.mlpPre, B.dHidden),
    );
    linearParamGrads(`${p} mlp w1`, a.ln2Out, B.dHidden, d, f, `${p}.mlp.w1`, `${p}.mlp.b1`);
    backward.push(linearInputGrad(`${p} mlp w1`, B.dHidden, B.dNormOut, d, f, `${p}.mlp.w1`));
    layerNormBackward(`${p} ln2`, `${p}.ln2`, a.ln2Xhat, a.ln2Rstd, true);

    linearParamGrads(`${p} wo`, a.attnOut, B.dResidual, d, d, `${p}.attn.wo`, `${p}.attn.bo`);
    backward.push(linearInputGrad(`${p} wo`, B.dResidual, B.dAttnOut, d, d, `${p}.attn.wo`));
    backward.push(
      ...attentionBackwardDispatches(kernels, p, attentionShape, {
        qkv: a.qkv,
        probs: a.probs,
        dAttnOut: B.dAttnOut,
        dScores: B.dScores,
        dQkv: B.dQkv,
      }),
    );

    const stride = projectionStride(p);
    backward.push(
      ...weightGradDispatches({
        label: `${p} q|k|v weight and bias grads`,
        m: d,
        n: d,
        k: rows,
        batchInner: 3,
        a: transposed(a.ln1Out, 0, d),
        b: { ...rowMajor(B.dQkv, 0, d), zInnerStride: rows * d },
        c: { ...rowMajor(B.grads, off(`${p}.attn.wq`), d), zInnerStride: stride },
        onesRow: { offset: off(`${p}.attn.bq`), zInnerStride: stride },
      }),
    );
    (['q', 'k', 'v'] as const).forEach((name, j) => {
      backward.push(
        matmulDispatch(mm, {
          label: `${p} w${name} input grad`,
          m: rows,
          n: d,
          k: d,
          a: rowMajor(B.dQkv, j * rows * d, d),
          b: transposed(B.params, off(`${p}.attn.w${name}`), d),
          c: rowMajor(B.dNormOut, 0, d),
          accumulate: j > 0,
        }),
      );
    });
    layerNormBackward(`${p} ln1`, `${p}.ln1`, a.ln1Xhat, a.ln1Rstd, true);
  }
  backward.push(
    embeddingBackwardDispatch(kernels.embedding, embeddingShape, {
      dh: B.dResidual,
      tokenStart: B.tokenStart,
      tokenPositions: B.tokenPositions,
      t: B.t,
      grads: B.grads,
    }),
    squaredNormPartialsDispatch(kernels.reduction, total, B.grads, B.normPartials),
    stepStatsDispatch(
      kernels.loss,
      rows,
      partialCount,
      maxGradNorm,
      { rowLoss: B.rowLoss, partials: B.normPartials, stats: B.stats },
      length,
    ),
  );

  const update: DispatchSpec[] = [
    adamwDispatch(kernels.adamw, total, buffers.adamwStep, {
      params: B.params,
      grads: B.grads,
      m: B.m,
      v: B.v,
      decayMask: B.decayMask,
      stats: B.stats,
    }),
  ];

  const phases = [forward, loss, backward, update];
  const compiled = compileDispatches(device, phases.flat(), 'training step');
  owned.push(compiled.uniformBuffer);
  const split: CompiledDispatch[][] = [];
  let at = 0;
  for (const phase of phases) {
    split.push(compiled.dispatches.slice(at, at + phase.length));
    at += phase.length;
  }

  const tokenStart = new Uint32Array(V + 1);
  const tokenPositions = new Uint32Array(rows);
  const weights32 = new Float32Array(rows);
  const t32 = new Float32Array(batch);

  return {
    layout,
    batch,
    length,
    buffers,
    forward: split[0],
    loss: split[1],
    backward: split[2],
    update: split[3],
    uploadBatch(b: TrainingBatch) {
      validateBatch(layout, batch, length, b);
      tokenPositionIndex(b.tokens, V, tokenStart, tokenPositions);
      weights32.set(b.weights);
      if (b.t) t32.set(b.t);
      else t32.fill(0);
      const q = device.queue;
      q.writeBuffer(B.tokens, 0, b.tokens);
      q.writeBuffer(B.targets, 0, b.targets);
      q.writeBuffer(B.weights, 0, weights32);
      q.writeBuffer(B.t, 0, t32);
      q.writeBuffer(B.tokenStart, 0, tokenStart);
      q.writeBuffer(B.tokenPositions, 0, tokenPositions);
    },
    encode(encoder, list) {
      const pass = encoder.beginComputePass({ label: 'training step' });
      for (const dispatches of list) encodeDispatches(pass, dispatches);
      pass.end();
    },
    destroy() {
      for (const b of owned) b.destroy();
    },
  };
}

/** Throws with a message naming the problem when a batch does not fit the program. */
export function validateBatch(
  layout: ParameterLayout,
  batch: number,
  length: number,
  b: TrainingBatch,
): void {
  const { vocabSize, timeConditioning } = layout.config;
  if (b.batch !== batch || b.length !== length) {
    throw new Error(
      `this trainer was built for batch ${batch} × length ${length}, got ${b.batch} × ${b.length}`,
    );
  }
  const rows = batch * length;
  if (b.tokens.length !== rows || b.targets.length !== rows || b.weights.length !== rows) {
    throw new Error(`tokens, targets and weights must hold batch × length = ${rows} values`);
  }
  for (let n = 0; n < rows; n++) {
    const id = b.tokens[n];
    if (!(id >= 0 && id < vocabSize)) {
      throw new Error(
        `token id ${id} at position ${n} is outside the vocabulary [0, ${vocabSize})`,
      );
    }
    const w = b.weights[n];
    if (!Number.isFinite(w)) throw new Error(`loss weight ${w} at position ${n} is not finite`);
    if (w !== 0 && !(b.targets[n] >= 0 && b.targets[n] < vocabSize)) {
      throw new Error(
        `target ${b.targets[n]} at position ${n} is outside the vocabulary [0, ${vocabSize})`,
      );
    }
  }
  if (timeConditioning) {
    if (!b.t || b.t.length < batch) {
      throw new Error('this network is time-conditioned: the batch needs t (one ratio per row)');
    }
    for (let r = 0; r < batch; r++) {
      if (!Number.isFinite(b.t[r])) throw new Error(`t[${r}] must be finite, got ${b.t[r]}`);
    }
  }
}

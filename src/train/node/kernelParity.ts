/**
 * `node --import tsx src/train/node/kernelParity.ts` (on SwiftShader: see runGpuScript.ts).
 * Runs every WGSL kernel of the trainer on small random inputs and compares it with the CPU
 * reference of src/model in float64. Prints one JSON line: { adapter, checks: Check[] }.
 * gpuKernels.test.ts asserts the errors.
 */
import { Rng } from '../../core/rng';
import { adamwStep, globalNorm } from '../../model/adamw';
import { attentionBackward, attentionForward, type AttentionShape } from '../../model/attention';
import { maskedCrossEntropy } from '../../model/crossEntropy';
import { gelu, geluGrad } from '../../model/gelu';
import { layerNormBackward, layerNormForward } from '../../model/layerNorm';
import { addColumnSums, matmul, transposeInto } from '../../model/matmul';
import { attentionBackwardDispatches, attentionForwardDispatches } from '../attentionPlan';
import { ADAMW_UNIFORM_BYTES, adamwDispatch, adamwUniform } from '../kernels/adamwKernel';
import {
  embeddingBackwardDispatch,
  embeddingForwardDispatch,
  type EmbeddingShape,
  tokenPositionIndex,
} from '../kernels/embeddingKernels';
import { geluBackwardDispatch, geluForwardDispatch } from '../kernels/geluKernels';
import {
  layerNormBackwardInputDispatch,
  layerNormBackwardParamsDispatch,
  layerNormForwardDispatch,
} from '../kernels/layerNormKernels';
import { crossEntropyDispatch, stepStatsDispatch } from '../kernels/lossKernels';
import {
  type MatmulArgs,
  matmulDispatch,
  type MatrixView,
  rowMajor,
  transposed,
  vec4Layout,
} from '../kernels/matmulKernel';
import { normPartialCount, squaredNormPartialsDispatch } from '../kernels/reductionKernels';
import { splitKDispatches, splitKPlan, splitKScratchFloats } from '../kernels/splitKMatmul';
import { BufferUsage } from '../gpuFlags';
import { createTrainerKernels, type TrainerKernels } from '../trainerKernels';
import { createDawnDevice } from './dawnDevice';
import {
  type Check,
  compare,
  downloadBuffer,
  emptyBuffer,
  runDispatches,
  uploadBuffer,
} from './gpuTestKit';

const rng = new Rng(20240601);

/** Float32-representable random values, so GPU and reference start from identical inputs. */
function randomF32(n: number, scale = 1, shift = 0): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = shift + scale * rng.normal();
  return a;
}

const f64 = (a: ArrayLike<number>) => Float64Array.from(a);

async function matmulChecks(device: GPUDevice, k: TrainerKernels): Promise<Check[]> {
  const checks: Check[] = [];
  const v = k.matmul.variant;

  // Plain product with bias, ragged tiles (the large tile of the tiled variant): y = x·W + b.
  {
    const [M, N, K] = [45, 40, 23];
    const a = randomF32(M * K);
    const b = randomF32(K * N);
    const bias = randomF32(N);
    const [ga, gb, gbias, gc] = [a, b, bias]
      .map((x) => uploadBuffer(device, x))
      .concat([emptyBuffer(device, M * N)]);
    await runDispatches(device, [
      matmulDispatch(k.matmul, {
        label: 'plain',
        m: M,
        n: N,
        k: K,
        a: rowMajor(ga, 0, K),
        b: rowMajor(gb, 0, N),
        bias: { buffer: gbias, offset: 0 },
        c: rowMajor(gc, 0, N),
      }),
    ]);
    const ref = new Float64Array(M * N);
    matmul(ref, f64(a), K, 1, f64(b), M, K, N, f64(bias), false);
    checks.push(compare(`matmul ${v}: x·W + b`, await downloadBuffer(device, gc, M * N), ref));
  }

  // Weight-gradient form Xᵀ·dY (A transposed), accumulated onto what C holds (the small tile).
  {
    const [M, N, K] = [13, 7, 50];
    const x = randomF32(K * M);
    const dy = randomF32(K * N);
    const c0 = randomF32(M * N);
    const gx = uploadBuffer(device, x);
    const gdy = uploadBuffer(device, dy);
    const gc = uploadBuffer(device, c0);
    await runDispatches(device, [
      matmulDispatch(k.matmul, {
        label: 'transposed A',
        m: M,
        n: N,
        k: K,
        a: transposed(gx, 0, M),
        b: rowMajor(gdy, 0, N),
        c: rowMajor(gc, 0, N),
        accumulate: true,
      }),
    ]);
    const ref = f64(c0);
    matmul(ref, f64(x), 1, M, f64(dy), M, K, N, null, true);
    checks.push(
      compare(`matmul ${v}: Xᵀ·dY accumulated`, await downloadBuffer(device, gc, M * N), ref),
    );
  }

  // Input-gradient form alpha·dY·Wᵀ (B transposed), operands at offsets inside larger buffers.
  {
    const [M, N, K] = [33, 36, 20];
    const [aOff, wOff, cOff] = [5, 17, 3];
    const a = randomF32(aOff + M * K);
    const w = randomF32(wOff + N * K);
    const gc = emptyBuffer(device, cOff + M * N);
    const alpha = 0.375;
    await runDispatches(device, [
      matmulDispatch(k.matmul, {
        label: 'transposed B',
        m: M,
        n: N,
        k: K,
        a: rowMajor(uploadBuffer(device, a), aOff, K),
        b: transposed(uploadBuffer(device, w), wOff, K),
        c: rowMajor(gc, cOff, N),
        alpha,
      }),
    ]);
    const wT = new Float64Array(K * N);
    transposeInto(wT, f64(w.subarray(wOff)), N, K);
    const ref = new Float64Array(M * N);
    matmul(ref, f64(a.subarray(aOff)), K, 1, wT, M, K, N, null, false);
    for (let i = 0; i < ref.length; i++) ref[i] *= alpha;
    const got = (await downloadBuffer(device, gc, cOff + M * N)).subarray(cOff);
    checks.push(compare(`matmul ${v}: alpha·dY·Wᵀ at offsets`, got, ref));
  }

  // Weight and bias gradient in one product (the ones row), batched over z = 2 as for q|k|v.
  checks.push(
    ...(await onesRowGradChecks(device, 41, `matmul ${v}`, (args) =>
      runDispatches(device, [matmulDispatch(k.matmul, args)]),
    )),
  );
  return checks;
}

/**
 * dW = Xᵀ·dY and db = Σ_rows dY of q|k|v-like products (M = 9, N = 34, z = 2, k = K) in one
 * product with a ones row, run by `run`, against the float64 reference; checks named `tag: …`.
 */
async function onesRowGradChecks(
  device: GPUDevice,
  K: number,
  tag: string,
  run: (args: MatmulArgs) => Promise<unknown>,
): Promise<Check[]> {
  const [M, N, Z] = [9, 34, 2];
  const [wStride, biasOff] = [M * N + N, M * N];
  const x = randomF32(K * M);
  const dy = randomF32(Z * K * N);
  const grads = emptyBuffer(device, Z * wStride);
  await run({
    label: `${tag}: ones row`,
    m: M,
    n: N,
    k: K,
    batchInner: Z,
    a: transposed(uploadBuffer(device, x), 0, M),
    b: { ...rowMajor(uploadBuffer(device, dy), 0, N), zInnerStride: K * N },
    c: { ...rowMajor(grads, 0, N), zInnerStride: wStride },
    onesRow: { offset: biasOff, zInnerStride: wStride },
  });
  const got = await downloadBuffer(device, grads, Z * wStride);
  const checks: Check[] = [];
  for (let z = 0; z < Z; z++) {
    const dyz = f64(dy.subarray(z * K * N, (z + 1) * K * N));
    const dW = new Float64Array(M * N);
    matmul(dW, f64(x), 1, M, dyz, M, K, N, null, false);
    const db = new Float64Array(N);
    addColumnSums(db, dyz, K, N);
    const at = z * wStride;
    checks.push(compare(`${tag}: weight grad z=${z}`, got.subarray(at, at + M * N), dW));
    checks.push(
      compare(
        `${tag}: ones-row bias grad z=${z}`,
        got.subarray(at + biasOff, at + biasOff + N),
        db,
      ),
    );
  }
  return checks;
}

/**
 * The tiled matmul split along k (splitKMatmul.ts), with chunks short enough to split these
 * small products: the weight and bias gradients of q|k|v (ones row, z = 2), and Xᵀ·dY
 * accumulated onto what C holds.
 */
async function splitKChecks(device: GPUDevice, k: TrainerKernels): Promise<Check[]> {
  const checks: Check[] = [];
  if (k.matmul.variant !== 'tiled' || !k.splitK) throw new Error('needs tiled + split-K');
  const { matmul: mm, splitK } = k;
  const split = async (args: MatmulArgs) => {
    const plan = splitKPlan(mm.variant, args, splitK.settings);
    if (!plan || plan.splits < 2) throw new Error(`${args.label}: expected a split`);
    const scratch = emptyBuffer(device, splitKScratchFloats(args, plan));
    await runDispatches(device, splitKDispatches(mm, splitK.reduce, args, plan, scratch));
  };
  checks.push(...(await onesRowGradChecks(device, 48, 'matmul tiled split-K', split)));
  {
    const [M, N, K] = [40, 37, 60];
    const x = randomF32(K * M);
    const dy = randomF32(K * N);
    const c0 = randomF32(M * N);
    const gc = uploadBuffer(device, c0);
    const alpha = 0.5;
    await split({
      label: 'split accumulated',
      m: M,
      n: N,
      k: K,
      a: transposed(uploadBuffer(device, x), 0, M),
      b: rowMajor(uploadBuffer(device, dy), 0, N),
      c: rowMajor(gc, 0, N),
      accumulate: true,
      alpha,
    });
    const ref = new Float64Array(M * N);
    matmul(ref, f64(x), 1, M, f64(dy), M, K, N, null, false);
    for (let i = 0; i < ref.length; i++) ref[i] = c0[i] + alpha * ref[i];
    checks.push(
      compare(
        `matmul tiled split-K: alpha·Xᵀ·dY accumulated`,
        await downloadBuffer(device, gc, M * N),
        ref,
      ),
    );
  }
  return checks;
}

/**
 * The product as matmulKernel.ts defines it, straight from the strides in float64: the
 * reference of the cases whose operands no CPU kernel reads in that shape.
 */
function naiveMatmul(
  args: MatmulArgs,
  data: Map<GPUBuffer, Float32Array>,
  out: Float64Array,
): void {
  const at = (v: MatrixView, zo: number, zi: number, r: number, c: number) =>
    data.get(v.buffer)![
      v.offset +
        zo * (v.zOuterStride ?? 0) +
        zi * (v.zInnerStride ?? 0) +
        r * v.rowStride +
        c * v.colStride
    ];
  const outer = args.batchOuter ?? 1;
  const inner = args.batchInner ?? 1;
  const c = args.c;
  for (let zo = 0; zo < outer; zo++) {
    for (let zi = 0; zi < inner; zi++) {
      for (let m = 0; m <= args.m; m++) {
        if (m === args.m && !args.onesRow) continue;
        for (let n = 0; n < args.n; n++) {
          let sum = 0;
          for (let k = 0; k < args.k; k++) {
            sum += (m < args.m ? at(args.a, zo, zi, m, k) : 1) * at(args.b, zo, zi, k, n);
          }
          let value = (args.alpha ?? 1) * sum;
          let index: number;
          if (m < args.m) {
            index =
              c.offset +
              zo * (c.zOuterStride ?? 0) +
              zi * (c.zInnerStride ?? 0) +
              m * c.rowStride +
              n;
            if (args.bias) {
              const bias = args.bias;
              value += data.get(bias.buffer)![
                bias.offset + zo * (bias.zOuterStride ?? 0) + zi * (bias.zInnerStride ?? 0) + n
              ];
            }
          } else {
            const ones = args.onesRow!;
            index = ones.offset + zo * (ones.zOuterStride ?? 0) + zi * (ones.zInnerStride ?? 0) + n;
          }
          out[index] = (args.accumulate ? out[index] : 0) + value;
        }
      }
    }
  }
}

/**
 * Products whose operands are aligned, so the register variant reads them as vec4s, one case
 * per direction pair (vec4Layout), with ragged N, batching, a ones row, bias and accumulation.
 * The check names carry the layout the dispatch chose.
 */
async function vec4MatmulChecks(device: GPUDevice, k: TrainerKernels): Promise<Check[]> {
  const checks: Check[] = [];
  const buffer = (n: number) => {
    const data = randomF32(n);
    return { data, gpu: uploadBuffer(device, data) };
  };
  const cases: ((x: GPUBuffer, w: GPUBuffer, c: GPUBuffer, bias: GPUBuffer) => MatmulArgs)[] = [
    (x, w, c, bias) => ({
      label: 'x·W + b',
      m: 20,
      n: 12,
      k: 16,
      a: rowMajor(x, 4, 16),
      b: rowMajor(w, 8, 12),
      bias: { buffer: bias, offset: 0 },
      c: rowMajor(c, 0, 12),
    }),
    (x, w, c) => ({
      label: 'dY·Wᵀ, ragged N',
      m: 20,
      n: 14,
      k: 16,
      a: rowMajor(x, 0, 16),
      b: transposed(w, 0, 16),
      c: rowMajor(c, 0, 14),
    }),
    (x, w, c) => ({
      label: 'Xᵀ·dY with ones row, z = 2',
      m: 24,
      n: 12,
      k: 16,
      batchInner: 2,
      a: transposed(x, 0, 24),
      b: { ...rowMajor(w, 0, 12), zInnerStride: 16 * 12 },
      c: { ...rowMajor(c, 0, 12), zInnerStride: 24 * 12 + 12 },
      onesRow: { offset: 24 * 12, zInnerStride: 24 * 12 + 12 },
    }),
    (x, w, c) => ({
      label: 'alpha·Xᵀ·Wᵀ accumulated',
      m: 8,
      n: 10,
      k: 16,
      a: transposed(x, 0, 8),
      b: transposed(w, 0, 16),
      c: rowMajor(c, 0, 10),
      accumulate: true,
      alpha: 0.5,
    }),
  ];
  for (const make of cases) {
    const x = buffer(2 * 16 * 24 + 8);
    const w = buffer(2 * 16 * 12 + 16);
    const bias = buffer(16);
    const c = buffer(2 * (24 * 12 + 12));
    const args = make(x.gpu, w.gpu, c.gpu, bias.gpu);
    const layout = vec4Layout(args);
    await runDispatches(device, [matmulDispatch(k.matmul, args)]);
    const ref = f64(c.data);
    naiveMatmul(
      args,
      new Map([
        [x.gpu, x.data],
        [w.gpu, w.data],
        [bias.gpu, bias.data],
      ]),
      ref,
    );
    const tag = layout ? `vec4 ${layout.a}${layout.b}` : 'scalar';
    const got = await downloadBuffer(device, c.gpu, c.data.length);
    checks.push(compare(`matmul registers (${tag}): ${args.label}`, got, ref));
  }
  return checks;
}

async function layerNormChecks(device: GPUDevice, k: TrainerKernels): Promise<Check[]> {
  const [rows, dim, eps] = [7, 8, 1e-5];
  const [gammaOff, betaOff] = [3, 11];
  // A large mean and small spread: the two-pass variance matters here.
  const x = randomF32(rows * dim, 0.5, 3);
  const params = randomF32(20, 0.3, 1);
  const dy = randomF32(rows * dim);
  const dx0 = randomF32(rows * dim);
  const shape = { rows, dim, gammaOffset: gammaOff, betaOffset: betaOff };
  const gx = uploadBuffer(device, x);
  const gp = uploadBuffer(device, params);
  const out = {
    y: emptyBuffer(device, rows * dim),
    xhat: emptyBuffer(device, rows * dim),
    rstd: emptyBuffer(device, rows),
  };
  const gdy = uploadBuffer(device, dy);
  const gdx = uploadBuffer(device, dx0);
  const grads = emptyBuffer(device, 20);
  await runDispatches(device, [
    layerNormForwardDispatch(k.layerNorm, 'ln', shape, eps, gx, gp, out),
    layerNormBackwardParamsDispatch(k.layerNorm, 'ln params', shape, {
      dy: gdy,
      xhat: out.xhat,
      grads,
    }),
    layerNormBackwardInputDispatch(
      k.layerNorm,
      'ln input',
      shape,
      { dy: gdy, xhat: out.xhat, rstd: out.rstd, params: gp, dx: gdx },
      true,
    ),
  ]);
  const gamma = f64(params.subarray(gammaOff, gammaOff + dim));
  const beta = f64(params.subarray(betaOff, betaOff + dim));
  const y = new Float64Array(rows * dim);
  const xhat = new Float64Array(rows * dim);
  const rstd = new Float64Array(rows);
  layerNormForward(f64(x), gamma, beta, eps, rows, dim, y, xhat, rstd);
  const dGamma = new Float64Array(dim);
  const dBeta = new Float64Array(dim);
  const dx = f64(dx0);
  layerNormBackward(f64(dy), xhat, rstd, gamma, rows, dim, dGamma, dBeta, dx);
  const g = await downloadBuffer(device, grads, 20);
  return [
    compare('layerNorm forward y', await downloadBuffer(device, out.y, rows * dim), y),
    compare('layerNorm forward xhat', await downloadBuffer(device, out.xhat, rows * dim), xhat),
    compare('layerNorm forward rstd', await downloadBuffer(device, out.rstd, rows), rstd),
    compare(
      'layerNorm backward dx (accumulated)',
      await downloadBuffer(device, gdx, rows * dim),
      dx,
    ),
    compare('layerNorm backward dgamma', g.subarray(gammaOff, gammaOff + dim), dGamma),
    compare('layerNorm backward dbeta', g.subarray(betaOff, betaOff + dim), dBeta),
  ];
}

async function attentionChecks(
  device: GPUDevice,
  k: TrainerKernels,
  causal: boolean,
): Promise<Check[]> {
  const shape: AttentionShape = { batch: 3, length: 6, heads: 2, headDim: 4, causal };
  const d = shape.heads * shape.headDim;
  const rows = shape.batch * shape.length;
  const scores = shape.batch * shape.heads * shape.length * shape.length;
  const qkv = randomF32(3 * rows * d, 1.5);
  const dOut = randomF32(rows * d);
  const bufs = {
    qkv: uploadBuffer(device, qkv),
    probs: emptyBuffer(device, scores),
    attnOut: emptyBuffer(device, rows * d),
    dAttnOut: uploadBuffer(device, dOut),
    dScores: emptyBuffer(device, scores),
    dQkv: emptyBuffer(device, 3 * rows * d),
  };
  await runDispatches(device, [
    ...attentionForwardDispatches(k, 'attention', shape, bufs),
    ...attentionBackwardDispatches(k, 'attention', shape, bufs),
  ]);
  const q = f64(qkv.subarray(0, rows * d));
  const kk = f64(qkv.subarray(rows * d, 2 * rows * d));
  const v = f64(qkv.subarray(2 * rows * d));
  const probs = new Float64Array(scores);
  const out = new Float64Array(rows * d);
  attentionForward(q, kk, v, shape, probs, out);
  const dq = new Float64Array(rows * d);
  const dk = new Float64Array(rows * d);
  const dv = new Float64Array(rows * d);
  attentionBackward(q, kk, v, probs, f64(dOut), shape, dq, dk, dv);
  const dQkv = await downloadBuffer(device, bufs.dQkv, 3 * rows * d);
  const tag = `${causal ? 'causal' : 'bidirectional'} (${k.matmul.variant})`;
  return [
    compare(`attention ${tag} weights`, await downloadBuffer(device, bufs.probs, scores), probs),
    compare(`attention ${tag} output`, await downloadBuffer(device, bufs.attnOut, rows * d), out),
    compare(`attention ${tag} dq`, dQkv.subarray(0, rows * d), dq),
    compare(`attention ${tag} dk`, dQkv.subarray(rows * d, 2 * rows * d), dk),
    compare(`attention ${tag} dv`, dQkv.subarray(2 * rows * d), dv),
  ];
}

async function geluChecks(device: GPUDevice, k: TrainerKernels): Promise<Check[]> {
  const n = 300;
  const x = new Float32Array(n);
  // A sweep over [−15, 15] (tanh saturates at both ends) and random values near 0.
  for (let i = 0; i < 200; i++) x[i] = -15 + (30 * i) / 199;
  x.set(randomF32(100, 1.5), 200);
  const upstream = randomF32(n);
  const gx = uploadBuffer(device, x);
  const act = emptyBuffer(device, n);
  const grad = uploadBuffer(device, upstream);
  await runDispatches(device, [
    geluForwardDispatch(k.gelu, 'gelu', n, gx, act),
    geluBackwardDispatch(k.gelu, 'gelu backward', n, gx, grad),
  ]);
  const refAct = Array.from(x, gelu);
  const refGrad = Array.from(x, (v, i) => upstream[i] * geluGrad(v));
  return [
    compare('gelu forward', await downloadBuffer(device, act, n), refAct),
    compare('gelu backward', await downloadBuffer(device, grad, n), refGrad),
  ];
}

async function embeddingChecks(device: GPUDevice, k: TrainerKernels): Promise<Check[]> {
  // length 4 < seqLen 6: rows 4 and 5 of pos_emb get no gradient.
  const [batch, length, dim, vocab, seqLen] = [3, 4, 8, 5, 6];
  const tokOffset = 2;
  const posOffset = tokOffset + vocab * dim;
  const timeWOffset = posOffset + seqLen * dim;
  const timeBOffset = timeWOffset + dim;
  const total = timeBOffset + dim + 3;
  const shape: EmbeddingShape = {
    batch,
    length,
    dim,
    vocab,
    seqLen,
    timeConditioning: true,
    tokOffset,
    posOffset,
    timeWOffset,
    timeBOffset,
  };
  const rows = batch * length;
  const tokens = Int32Array.from({ length: rows }, () => rng.int(vocab));
  tokens[0] = tokens[5] = tokens[11] = 3; // a repeated token: its rows must add up
  const t = Float32Array.from({ length: batch }, () => rng.uniform());
  const params = randomF32(total);
  const dh = randomF32(rows * dim);
  const start = new Uint32Array(vocab + 1);
  const positions = new Uint32Array(rows);
  tokenPositionIndex(tokens, vocab, start, positions);
  const h = emptyBuffer(device, rows * dim);
  const grads = uploadBuffer(device, new Float32Array(total).fill(7)); // all overwritten
  const gt = uploadBuffer(device, t);
  await runDispatches(device, [
    embeddingForwardDispatch(k.embedding, shape, {
      tokens: uploadBuffer(device, tokens),
      t: gt,
      params: uploadBuffer(device, params),
      h,
    }),
    embeddingBackwardDispatch(k.embedding, shape, {
      dh: uploadBuffer(device, dh),
      tokenStart: uploadBuffer(device, start),
      tokenPositions: uploadBuffer(device, positions),
      t: gt,
      grads,
    }),
  ]);
  const refH = new Float64Array(rows * dim);
  const refG = new Float64Array(total).fill(7);
  refG.fill(0, tokOffset, timeBOffset + dim);
  for (let n = 0; n < rows; n++) {
    const [b, i] = [Math.floor(n / length), n % length];
    for (let c = 0; c < dim; c++) {
      refH[n * dim + c] =
        params[tokOffset + tokens[n] * dim + c] +
        params[posOffset + i * dim + c] +
        t[b] * params[timeWOffset + c] +
        params[timeBOffset + c];
      const g = dh[n * dim + c];
      refG[tokOffset + tokens[n] * dim + c] += g;
      refG[posOffset + i * dim + c] += g;
      refG[timeWOffset + c] += t[b] * g;
      refG[timeBOffset + c] += g;
    }
  }
  return [
    compare('embedding forward', await downloadBuffer(device, h, rows * dim), refH),
    compare('embedding backward', await downloadBuffer(device, grads, total), refG),
  ];
}

async function lossChecks(device: GPUDevice, k: TrainerKernels): Promise<Check[]> {
  const [rows, vocab] = [9, 11];
  const logits = randomF32(rows * vocab, 8); // large logits: logsumexp must not overflow
  const targets = new Int32Array(rows).fill(-1);
  const weights = new Float32Array(rows);
  for (let n = 0; n < rows; n++) {
    if (n % 3 === 1) continue; // unweighted positions keep target −1
    targets[n] = rng.int(vocab);
    weights[n] = 0.05 + rng.uniform();
  }
  const dLogits = emptyBuffer(device, rows * vocab);
  const rowLoss = emptyBuffer(device, rows);
  const stats = emptyBuffer(device, 4);
  const partials = emptyBuffer(device, 1);
  await runDispatches(device, [
    crossEntropyDispatch(k.loss, rows, vocab, {
      logits: uploadBuffer(device, logits),
      targets: uploadBuffer(device, targets),
      weights: uploadBuffer(device, weights),
      dLogits,
      rowLoss,
    }),
    stepStatsDispatch(k.loss, rows, 1, Infinity, { rowLoss, partials, stats }),
  ]);
  const ref = maskedCrossEntropy(f64(logits), targets, weights, vocab);
  const s = await downloadBuffer(device, stats, 4);
  return [
    compare('cross-entropy loss', [s[0]], [ref.loss]),
    compare(
      'cross-entropy dLogits',
      await downloadBuffer(device, dLogits, rows * vocab),
      ref.dLogits,
    ),
  ];
}

/** Gradient norm, clipping and one AdamW update (update number 3, so bias corrections act). */
async function adamwChecks(
  device: GPUDevice,
  k: TrainerKernels,
  maxGradNorm: number,
  poison: boolean,
): Promise<Check[]> {
  const n = 3000;
  const options = { beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, maxGradNorm };
  const lr = 0.01;
  const step = 3;
  const params = randomF32(n);
  const grads = randomF32(n, 0.05);
  if (poison) grads[1234] = NaN;
  const m = randomF32(n, 0.01);
  const v = Float32Array.from(randomF32(n, 1e-3), (x) => x * x);
  const mask = Uint8Array.from({ length: n }, () => (rng.uniform() < 0.5 ? 1 : 0));
  const gp = uploadBuffer(device, params);
  const gm = uploadBuffer(device, m);
  const gv = uploadBuffer(device, v);
  const gg = uploadBuffer(device, grads);
  const stats = emptyBuffer(device, 4);
  const partials = emptyBuffer(device, normPartialCount(n));
  const rowLoss = emptyBuffer(device, 1);
  const uniform = device.createBuffer({
    size: ADAMW_UNIFORM_BYTES,
    usage: BufferUsage.UNIFORM | BufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(uniform, 0, adamwUniform(n, step, lr, options));
  await runDispatches(device, [
    squaredNormPartialsDispatch(k.reduction, n, gg, partials),
    stepStatsDispatch(k.loss, 1, normPartialCount(n), maxGradNorm, { rowLoss, partials, stats }),
    adamwDispatch(k.adamw, n, uniform, {
      params: gp,
      grads: gg,
      m: gm,
      v: gv,
      decayMask: uploadBuffer(device, Float32Array.from(mask)),
      stats,
    }),
  ]);
  const s = await downloadBuffer(device, stats, 4);
  const got = {
    params: await downloadBuffer(device, gp, n),
    m: await downloadBuffer(device, gm, n),
    v: await downloadBuffer(device, gv, n),
  };
  const tag = poison ? 'NaN gradient' : maxGradNorm === Infinity ? 'unclipped' : 'clipped';
  if (poison) {
    // The update must be skipped entirely: everything compares equal to its input.
    return [
      compare(`adamw ${tag}: params untouched`, got.params, params),
      compare(`adamw ${tag}: m untouched`, got.m, m),
      compare(`adamw ${tag}: v untouched`, got.v, v),
    ];
  }
  const ref = { params: f64(params), m: Float32Array.from(m), v: Float32Array.from(v) };
  const state = { m: ref.m, v: ref.v, step: step - 1 };
  const result = adamwStep(ref.params, f64(grads), state, mask, { ...options, lr });
  return [
    compare(`gradient norm (${tag})`, [s[1]], [globalNorm(f64(grads))]),
    compare(`clip factor (${tag})`, [s[2]], [result.clipScale]),
    compare(`adamw ${tag}: params`, got.params, ref.params),
    compare(`adamw ${tag}: m`, got.m, ref.m),
    compare(`adamw ${tag}: v`, got.v, ref.v),
  ];
}

async function main(): Promise<void> {
  const { device, adapter, close } = await createDawnDevice();
  const kernels = await createTrainerKernels(device, { matmul: 'registers' });
  const tiled = await createTrainerKernels(device, { matmul: 'tiled' });
  const shared = await createTrainerKernels(device, { matmul: 'shared' });
  const splitK = await createTrainerKernels(device, {
    matmul: 'tiled',
    splitK: { minChunk: 8, maxSplits: 8, maxTiles: 1000 },
  });
  const groups: [string, () => Promise<Check[]>][] = [
    ['matmul (registers)', () => matmulChecks(device, kernels)],
    ['matmul (tiled)', () => matmulChecks(device, tiled)],
    ['matmul (shared)', () => matmulChecks(device, shared)],
    ['matmul (tiled, split-K)', () => splitKChecks(device, splitK)],
    ['matmul (registers, vec4)', () => vec4MatmulChecks(device, kernels)],
    ['layerNorm', () => layerNormChecks(device, kernels)],
    ['attention (registers)', () => attentionChecks(device, kernels, false)],
    ['causal attention (registers)', () => attentionChecks(device, kernels, true)],
    ['attention (tiled)', () => attentionChecks(device, tiled, false)],
    ['causal attention (tiled)', () => attentionChecks(device, tiled, true)],
    ['attention (shared)', () => attentionChecks(device, shared, false)],
    ['causal attention (shared)', () => attentionChecks(device, shared, true)],
    ['gelu', () => geluChecks(device, kernels)],
    ['embedding', () => embeddingChecks(device, kernels)],
    ['cross-entropy', () => lossChecks(device, kernels)],
    ['adamw clipped', () => adamwChecks(device, kernels, 0.5, false)],
    ['adamw unclipped', () => adamwChecks(device, kernels, Infinity, false)],
    ['adamw NaN', () => adamwChecks(device, kernels, 1, true)],
  ];
  const checks: Check[] = [];
  for (const [name, run] of groups) {
    const start = performance.now();
    checks.push(...(await run()));
    console.error(`${name}: ${(performance.now() - start).toFixed(0)} ms`);
  }
  kernels.destroy();
  tiled.destroy();
  shared.destroy();
  splitK.destroy();
  close();
  console.log(JSON.stringify({ adapter, checks }));
}

await main();

/**
 * The WebAssembly text of the CPU trainer's SIMD kernels (f32x4). `npm run build:wasm`
 * assembles it (wabt) into kernelsWasm.ts, the bytes the trainer instantiates; a unit test
 * assembles it again and checks the committed bytes are this text's.
 *
 * The text is generated, not written out, because its blocks are unrolled: a 4-row × 8-column
 * block keeps 8 f32x4 accumulators, 4 broadcast A values and 2 B vectors in registers (14 of
 * x86-64's 16 SIMD registers), so each k step does 2 vector loads of B, 4 scalar loads of A
 * and 8 multiply-adds.
 *
 * Exports (every pointer is a byte offset into the exported memory, every stride a count of
 * f32 elements):
 *   matmul(out, a, aRowStride, aColStride, b, rows, inner, cols, bias, accumulate, bSums)
 *     out[r, c] (+)= Σ_k a[r·aRowStride + k·aColStride] · b[k·cols + c] (+ bias[c]):
 *     src/model/matmul.ts's contract. bias = 0 means none; accumulate ≠ 0 adds to out.
 *     bSums ≠ 0: also bSums[c] += Σ_k b[k·cols + c] (a weight gradient's bias gradient, b = dY).
 *   attention(q, k, v, probs, out, batch, length, heads, headDim, causal, scale)
 *   attentionBackward(q, k, v, probs, dOut, dq, dk, dv, dS, batch, length, heads, headDim, scale)
 *     attention.ts's attentionForward/Backward for every (row, head) in one call, f32x4 over
 *     the head's columns (headDim a multiple of 4); dS is an [length, length] scratch.
 *   softmaxRows(out, x, stats, rows, cols)
 *     out[r, ·] = softmax(x[r, ·]); stats[2r] = the row's max, stats[2r + 1] = Σ exp(x − max),
 *     so the caller forms log-sum-exp as max + log(sum) (crossEntropy.ts).
 *   gelu(out, x, n)             out[i] = gelu(x[i])                       (gelu.ts, tanh form)
 *   geluBackward(d, pre, n)     d[i] ·= gelu'(pre[i])
 * tanh(u) is 1 − 2/(exp(2u) + 1) with exp from Cephes' expf (range reduction by ln 2 in two
 * parts, a degree-6 polynomial, the exponent written into the float's bits): within a few
 * float32 ulps of Math.tanh, where the JavaScript call cost 20–40 ns an element.
 */

import { GELU_CUBIC, GELU_SQRT_2_OVER_PI } from '../gelu';

const GELU_C = GELU_SQRT_2_OVER_PI;
const GELU_K = GELU_CUBIC;

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/**
 * One block of `rowsPerBlock` rows and `vectors` f32x4 columns: zeroed accumulators, the k
 * loop, then the accumulators added into out. Expects $r, $c set; uses $k and the pointers.
 */
function block(rowsPerBlock: number, vectors: number): string {
  const acc = (i: number, j: number) => `$c${i}_${j}`;
  const lines: string[] = [];
  for (const i of range(rowsPerBlock)) {
    for (const j of range(vectors))
      lines.push(`(local.set ${acc(i, j)} (v128.const i32x4 0 0 0 0))`);
    // pa_i = a + (r + i)·aRowStride·4
    lines.push(
      `(local.set $pa${i} (i32.add (local.get $a) (i32.shl (i32.mul (i32.add (local.get $r) (i32.const ${i})) (local.get $ars)) (i32.const 2))))`,
    );
  }
  lines.push(
    `(local.set $pb (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))`,
    `(local.set $k (i32.const 0))`,
    `(block $kdone (loop $kloop`,
    `  (br_if $kdone (i32.ge_u (local.get $k) (local.get $inner)))`,
  );
  for (const j of range(vectors)) {
    lines.push(`  (local.set $y${j} (v128.load offset=${16 * j} align=4 (local.get $pb)))`);
  }
  for (const i of range(rowsPerBlock)) {
    lines.push(`  (local.set $x (f32x4.splat (f32.load (local.get $pa${i}))))`);
    for (const j of range(vectors)) {
      lines.push(
        `  (local.set ${acc(i, j)} (f32x4.add (local.get ${acc(i, j)}) (f32x4.mul (local.get $x) (local.get $y${j}))))`,
      );
    }
    lines.push(`  (local.set $pa${i} (i32.add (local.get $pa${i}) (local.get $acsBytes)))`);
  }
  lines.push(
    `  (local.set $pb (i32.add (local.get $pb) (local.get $colsBytes)))`,
    `  (local.set $k (i32.add (local.get $k) (i32.const 1)))`,
    `  (br $kloop)))`,
  );
  for (const i of range(rowsPerBlock)) {
    // po = out + ((r + i)·cols + c)·4
    lines.push(
      `(local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $r) (i32.const ${i})) (local.get $cols)) (local.get $c)) (i32.const 2))))`,
    );
    for (const j of range(vectors)) {
      lines.push(
        `(v128.store offset=${16 * j} align=4 (local.get $po) (f32x4.add (v128.load offset=${16 * j} align=4 (local.get $po)) (local.get ${acc(i, j)})))`,
      );
    }
  }
  return lines.join('\n');
}

/** Column tail (cols % 4 columns) of rows [r, r + rowsPerBlock): scalar dot products. */
function scalarColumns(rowsPerBlock: number): string {
  const lines: string[] = [];
  lines.push(
    `(block $cdone (loop $cloop`,
    `(br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))`,
  );
  for (const i of range(rowsPerBlock)) {
    lines.push(
      `(local.set $s${i} (f32.const 0))`,
      `(local.set $pa${i} (i32.add (local.get $a) (i32.shl (i32.mul (i32.add (local.get $r) (i32.const ${i})) (local.get $ars)) (i32.const 2))))`,
    );
  }
  lines.push(
    `(local.set $pb (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))`,
    `(local.set $k (i32.const 0))`,
    `(block $kdone (loop $kloop`,
    `  (br_if $kdone (i32.ge_u (local.get $k) (local.get $inner)))`,
    `  (local.set $sb (f32.load (local.get $pb)))`,
  );
  for (const i of range(rowsPerBlock)) {
    lines.push(
      `  (local.set $s${i} (f32.add (local.get $s${i}) (f32.mul (f32.load (local.get $pa${i})) (local.get $sb))))`,
      `  (local.set $pa${i} (i32.add (local.get $pa${i}) (local.get $acsBytes)))`,
    );
  }
  lines.push(
    `  (local.set $pb (i32.add (local.get $pb) (local.get $colsBytes)))`,
    `  (local.set $k (i32.add (local.get $k) (i32.const 1)))`,
    `  (br $kloop)))`,
  );
  for (const i of range(rowsPerBlock)) {
    lines.push(
      `(local.set $po (i32.add (local.get $out) (i32.shl (i32.add (i32.mul (i32.add (local.get $r) (i32.const ${i})) (local.get $cols)) (local.get $c)) (i32.const 2))))`,
      `(f32.store (local.get $po) (f32.add (f32.load (local.get $po)) (local.get $s${i})))`,
    );
  }
  lines.push(`(local.set $c (i32.add (local.get $c) (i32.const 1)))`, `(br $cloop)))`);
  return lines.join('\n');
}

/** Every column of rows [r, r + rowsPerBlock): 8-wide blocks, one 4-wide block, scalars. */
function rowBlock(rowsPerBlock: number): string {
  return [
    `(local.set $c (i32.const 0))`,
    `(block $c8done (loop $c8loop`,
    `(br_if $c8done (i32.gt_u (i32.add (local.get $c) (i32.const 8)) (local.get $cols)))`,
    block(rowsPerBlock, 2),
    `(local.set $c (i32.add (local.get $c) (i32.const 8)))`,
    `(br $c8loop)))`,
    `(if (i32.le_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)) (then`,
    block(rowsPerBlock, 1),
    `(local.set $c (i32.add (local.get $c) (i32.const 4)))))`,
    scalarColumns(rowsPerBlock),
  ].join('\n');
}

/** out rows start as bias (or 0), or get bias added when accumulating. */
const initialise = `
(local.set $r (i32.const 0))
(block $idone (loop $iloop
  (br_if $idone (i32.ge_u (local.get $r) (local.get $rows)))
  (local.set $po (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
  (local.set $c (i32.const 0))
  (block $cdone (loop $cloop
    (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
    (local.set $sb (if (result f32) (local.get $bias)
      (then (f32.load (i32.add (local.get $bias) (i32.shl (local.get $c) (i32.const 2)))))
      (else (f32.const 0))))
    (if (local.get $acc)
      (then (f32.store (local.get $po) (f32.add (f32.load (local.get $po)) (local.get $sb))))
      (else (f32.store (local.get $po) (local.get $sb))))
    (local.set $po (i32.add (local.get $po) (i32.const 4)))
    (local.set $c (i32.add (local.get $c) (i32.const 1)))
    (br $cloop)))
  (local.set $r (i32.add (local.get $r) (i32.const 1)))
  (br $iloop)))`;

/** exp(x) and tanh(x) on f32x4, and the loops of gelu and its derivative. */
const activations = `
(func $exp (param $x v128) (result v128) (local $n v128) (local $r v128) (local $p v128)
  (local.set $x (f32x4.min (f32x4.max (local.get $x) (v128.const f32x4 -87 -87 -87 -87))
    (v128.const f32x4 88 88 88 88)))
  (local.set $n (f32x4.nearest (f32x4.mul (local.get $x)
    (v128.const f32x4 1.44269504088896341 1.44269504088896341 1.44269504088896341 1.44269504088896341))))
  (local.set $r (f32x4.sub (f32x4.sub (local.get $x)
    (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
    (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
  (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
  ${[1.3981999507e-3, 8.3334519073e-3, 4.1665795894e-2, 1.6666665459e-1, 5.0000001201e-1]
    .map(
      (c) =>
        `(local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 ${c} ${c} ${c} ${c})))`,
    )
    .join('\n  ')}
  (local.set $p (f32x4.add (f32x4.add (f32x4.mul (f32x4.mul (local.get $p) (local.get $r)) (local.get $r))
    (local.get $r)) (v128.const f32x4 1 1 1 1)))
  ;; · 2^n: n + 127 into the exponent bits
  (f32x4.mul (local.get $p) (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n))
    (v128.const i32x4 127 127 127 127)) (i32.const 23))))
(func $tanh (param $u v128) (result v128)
  (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.div (v128.const f32x4 2 2 2 2)
    (f32x4.add (call $exp (f32x4.add (local.get $u) (local.get $u))) (v128.const f32x4 1 1 1 1)))))
(func $geluInner (param $x v128) (result v128)
  (f32x4.mul (v128.const f32x4 ${GELU_C} ${GELU_C} ${GELU_C} ${GELU_C})
    (f32x4.add (local.get $x) (f32x4.mul (v128.const f32x4 ${GELU_K} ${GELU_K} ${GELU_K} ${GELU_K})
      (f32x4.mul (local.get $x) (f32x4.mul (local.get $x) (local.get $x)))))))
(func $gelu (param $x v128) (result v128)
  (f32x4.mul (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5) (local.get $x))
    (f32x4.add (v128.const f32x4 1 1 1 1) (call $tanh (call $geluInner (local.get $x))))))
(func $geluGrad (param $x v128) (result v128) (local $th v128)
  (local.set $th (call $tanh (call $geluInner (local.get $x))))
  (f32x4.add
    (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $th)))
    (f32x4.mul
      (f32x4.mul (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5) (local.get $x))
        (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (local.get $th) (local.get $th))))
      (f32x4.mul (v128.const f32x4 ${GELU_C} ${GELU_C} ${GELU_C} ${GELU_C})
        (f32x4.add (v128.const f32x4 1 1 1 1)
          (f32x4.mul (v128.const f32x4 ${3 * GELU_K} ${3 * GELU_K} ${3 * GELU_K} ${3 * GELU_K})
            (f32x4.mul (local.get $x) (local.get $x))))))))
(func (export "gelu") (param $out i32) (param $x i32) (param $n i32) (local $i i32)
  (block $done (loop $next
    (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
    (v128.store align=4 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
      (call $gelu (v128.load align=4 (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))
    (local.set $i (i32.add (local.get $i) (i32.const 4)))
    (br $next)))
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (f32.store (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 2)))
      (f32x4.extract_lane 0 (call $gelu (f32x4.splat
        (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2))))))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))
(func (export "geluBackward") (param $d i32) (param $pre i32) (param $n i32) (local $i i32) (local $p i32)
  (block $done (loop $next
    (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 4)) (local.get $n)))
    (local.set $p (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2))))
    (v128.store align=4 (local.get $p) (f32x4.mul (v128.load align=4 (local.get $p))
      (call $geluGrad (v128.load align=4 (i32.add (local.get $pre) (i32.shl (local.get $i) (i32.const 2)))))))
    (local.set $i (i32.add (local.get $i) (i32.const 4)))
    (br $next)))
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
    (local.set $p (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 2))))
    (f32.store (local.get $p) (f32.mul (f32.load (local.get $p))
      (f32x4.extract_lane 0 (call $geluGrad (f32x4.splat
        (f32.load (i32.add (local.get $pre) (i32.shl (local.get $i) (i32.const 2)))))))))
    (local.set $i (i32.add (local.get $i) (i32.const 1)))
    (br $next))))
`;

/** bSums[c] += Σ_k b[k, c]: four columns at a time, then the rest one by one. */
const columnSums = `
(local.set $c (i32.const 0))
(block $sdone (loop $sloop
  (br_if $sdone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)))
  (local.set $x (v128.const i32x4 0 0 0 0))
  (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))
  (local.set $k (i32.const 0))
  (block $kdone (loop $kloop
    (br_if $kdone (i32.ge_u (local.get $k) (local.get $inner)))
    (local.set $x (f32x4.add (local.get $x) (v128.load align=4 (local.get $pb))))
    (local.set $pb (i32.add (local.get $pb) (local.get $colsBytes)))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $kloop)))
  (local.set $po (i32.add (local.get $bsums) (i32.shl (local.get $c) (i32.const 2))))
  (v128.store align=4 (local.get $po) (f32x4.add (v128.load align=4 (local.get $po)) (local.get $x)))
  (local.set $c (i32.add (local.get $c) (i32.const 4)))
  (br $sloop)))
(block $sdone (loop $sloop
  (br_if $sdone (i32.ge_u (local.get $c) (local.get $cols)))
  (local.set $sb (f32.const 0))
  (local.set $pb (i32.add (local.get $b) (i32.shl (local.get $c) (i32.const 2))))
  (local.set $k (i32.const 0))
  (block $kdone (loop $kloop
    (br_if $kdone (i32.ge_u (local.get $k) (local.get $inner)))
    (local.set $sb (f32.add (local.get $sb) (f32.load (local.get $pb))))
    (local.set $pb (i32.add (local.get $pb) (local.get $colsBytes)))
    (local.set $k (i32.add (local.get $k) (i32.const 1)))
    (br $kloop)))
  (local.set $po (i32.add (local.get $bsums) (i32.shl (local.get $c) (i32.const 2))))
  (f32.store (local.get $po) (f32.add (f32.load (local.get $po)) (local.get $sb)))
  (local.set $c (i32.add (local.get $c) (i32.const 1)))
  (br $sloop)))`;

/** Attention of attention.ts, f32x4 over a head's columns; see the header. */
const attentionKernels = `
(func $hsum (param $v v128) (result f32)
  (f32.add (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
    (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))
;; Σ_c x[c]·y[c] over n floats (n a multiple of 4)
(func $dot (param $x i32) (param $y i32) (param $n i32) (result f32) (local $c i32) (local $acc v128)
  (block $done (loop $next
    (br_if $done (i32.ge_u (local.get $c) (local.get $n)))
    (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul
      (v128.load align=4 (i32.add (local.get $x) (i32.shl (local.get $c) (i32.const 2))))
      (v128.load align=4 (i32.add (local.get $y) (i32.shl (local.get $c) (i32.const 2)))))))
    (local.set $c (i32.add (local.get $c) (i32.const 4)))
    (br $next)))
  (call $hsum (local.get $acc)))
;; out[c] = Σ_{j<count} w[j·wStride]·m[j·mStride + c] for c < n (n a multiple of 4)
(func $combine (param $out i32) (param $w i32) (param $wStride i32) (param $m i32) (param $mStride i32)
    (param $count i32) (param $n i32)
  (local $c i32) (local $j i32) (local $acc v128) (local $pw i32) (local $pm i32)
  (block $cdone (loop $cnext
    (br_if $cdone (i32.ge_u (local.get $c) (local.get $n)))
    (local.set $acc (v128.const i32x4 0 0 0 0))
    (local.set $pw (local.get $w))
    (local.set $pm (i32.add (local.get $m) (i32.shl (local.get $c) (i32.const 2))))
    (local.set $j (i32.const 0))
    (block $jdone (loop $jnext
      (br_if $jdone (i32.ge_u (local.get $j) (local.get $count)))
      (local.set $acc (f32x4.add (local.get $acc)
        (f32x4.mul (f32x4.splat (f32.load (local.get $pw))) (v128.load align=4 (local.get $pm)))))
      (local.set $pw (i32.add (local.get $pw) (i32.shl (local.get $wStride) (i32.const 2))))
      (local.set $pm (i32.add (local.get $pm) (i32.shl (local.get $mStride) (i32.const 2))))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $jnext)))
    (v128.store align=4 (i32.add (local.get $out) (i32.shl (local.get $c) (i32.const 2))) (local.get $acc))
    (local.set $c (i32.add (local.get $c) (i32.const 4)))
    (br $cnext))))
(func (export "attention") (param $q i32) (param $k i32) (param $v i32) (param $probs i32) (param $out i32)
    (param $batch i32) (param $L i32) (param $heads i32) (param $dh i32) (param $causal i32) (param $scale f32)
  (local $b i32) (local $h i32) (local $i i32) (local $j i32) (local $d i32) (local $base i32)
  (local $pp i32) (local $row i32) (local $keys i32) (local $max f32) (local $sum f32) (local $x f32)
  (local.set $d (i32.mul (local.get $heads) (local.get $dh)))
  (block $bdone (loop $bnext
    (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
    (local.set $h (i32.const 0))
    (block $hdone (loop $hnext
      (br_if $hdone (i32.ge_u (local.get $h) (local.get $heads)))
      ;; base: element offset of (row b·L, head h); pp: this (b, h)'s [L, L] probabilities
      (local.set $base (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $d))
        (i32.mul (local.get $h) (local.get $dh))))
      (local.set $pp (i32.add (local.get $probs) (i32.shl (i32.mul (i32.mul
        (i32.add (i32.mul (local.get $b) (local.get $heads)) (local.get $h)) (local.get $L)) (local.get $L))
        (i32.const 2))))
      (local.set $i (i32.const 0))
      (block $idone (loop $inext
        (br_if $idone (i32.ge_u (local.get $i) (local.get $L)))
        (local.set $row (i32.add (local.get $pp) (i32.shl (i32.mul (local.get $i) (local.get $L)) (i32.const 2))))
        (local.set $keys (if (result i32) (local.get $causal)
          (then (i32.add (local.get $i) (i32.const 1))) (else (local.get $L))))
        (local.set $max (f32.const -inf))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jnext
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $keys)))
          (local.set $x (f32.mul (local.get $scale) (call $dot
            (i32.add (local.get $q) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $d))) (i32.const 2)))
            (i32.add (local.get $k) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $j) (local.get $d))) (i32.const 2)))
            (local.get $dh))))
          (f32.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))) (local.get $x))
          (local.set $max (f32.max (local.get $max) (local.get $x)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jnext)))
        (local.set $sum (f32.const 0))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jnext
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $keys)))
          (local.set $x (f32x4.extract_lane 0 (call $exp (f32x4.splat (f32.sub
            (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))) (local.get $max))))))
          (f32.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))) (local.get $x))
          (local.set $sum (f32.add (local.get $sum) (local.get $x)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jnext)))
        (local.set $sum (f32.div (f32.const 1) (local.get $sum)))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jnext
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $L)))
          (f32.store (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2)))
            (if (result f32) (i32.lt_u (local.get $j) (local.get $keys))
              (then (f32.mul (local.get $sum) (f32.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 2))))))
              (else (f32.const 0))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jnext)))
        ;; out_i = Σ_j p_ij · v_j
        (call $combine
          (i32.add (local.get $out) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $d))) (i32.const 2)))
          (local.get $row) (i32.const 1)
          (i32.add (local.get $v) (i32.shl (local.get $base) (i32.const 2))) (local.get $d)
          (local.get $keys) (local.get $dh))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $inext)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $hnext)))
    (local.set $b (i32.add (local.get $b) (i32.const 1)))
    (br $bnext))))
(func (export "attentionBackward") (param $q i32) (param $k i32) (param $v i32) (param $probs i32)
    (param $dOut i32) (param $dq i32) (param $dk i32) (param $dv i32) (param $dS i32)
    (param $batch i32) (param $L i32) (param $heads i32) (param $dh i32) (param $scale f32)
  (local $b i32) (local $h i32) (local $i i32) (local $j i32) (local $d i32) (local $base i32)
  (local $pp i32) (local $at i32) (local $rowDot f32) (local $x f32)
  (local.set $d (i32.mul (local.get $heads) (local.get $dh)))
  (block $bdone (loop $bnext
    (br_if $bdone (i32.ge_u (local.get $b) (local.get $batch)))
    (local.set $h (i32.const 0))
    (block $hdone (loop $hnext
      (br_if $hdone (i32.ge_u (local.get $h) (local.get $heads)))
      (local.set $base (i32.add (i32.mul (i32.mul (local.get $b) (local.get $L)) (local.get $d))
        (i32.mul (local.get $h) (local.get $dh))))
      (local.set $pp (i32.add (local.get $probs) (i32.shl (i32.mul (i32.mul
        (i32.add (i32.mul (local.get $b) (local.get $heads)) (local.get $h)) (local.get $L)) (local.get $L))
        (i32.const 2))))
      ;; dS_ij = A_ij (dA_ij − Σ_j' A_ij' dA_ij') / √dHead, dA_ij = dO_i · v_j
      (local.set $i (i32.const 0))
      (block $idone (loop $inext
        (br_if $idone (i32.ge_u (local.get $i) (local.get $L)))
        (local.set $rowDot (f32.const 0))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jnext
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $L)))
          (local.set $at (i32.shl (i32.add (i32.mul (local.get $i) (local.get $L)) (local.get $j)) (i32.const 2)))
          (local.set $x (call $dot
            (i32.add (local.get $dOut) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $d))) (i32.const 2)))
            (i32.add (local.get $v) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $j) (local.get $d))) (i32.const 2)))
            (local.get $dh)))
          (f32.store (i32.add (local.get $dS) (local.get $at)) (local.get $x))
          (local.set $rowDot (f32.add (local.get $rowDot)
            (f32.mul (f32.load (i32.add (local.get $pp) (local.get $at))) (local.get $x))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jnext)))
        (local.set $j (i32.const 0))
        (block $jdone (loop $jnext
          (br_if $jdone (i32.ge_u (local.get $j) (local.get $L)))
          (local.set $at (i32.shl (i32.add (i32.mul (local.get $i) (local.get $L)) (local.get $j)) (i32.const 2)))
          (f32.store (i32.add (local.get $dS) (local.get $at)) (f32.mul (f32.mul
            (f32.load (i32.add (local.get $pp) (local.get $at)))
            (f32.sub (f32.load (i32.add (local.get $dS) (local.get $at))) (local.get $rowDot)))
            (local.get $scale)))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br $jnext)))
        ;; dq_i = Σ_j dS_ij · k_j
        (call $combine
          (i32.add (local.get $dq) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $d))) (i32.const 2)))
          (i32.add (local.get $dS) (i32.shl (i32.mul (local.get $i) (local.get $L)) (i32.const 2))) (i32.const 1)
          (i32.add (local.get $k) (i32.shl (local.get $base) (i32.const 2))) (local.get $d)
          (local.get $L) (local.get $dh))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $inext)))
      ;; dk_j = Σ_i dS_ij · q_i, dv_j = Σ_i A_ij · dO_i
      (local.set $j (i32.const 0))
      (block $jdone (loop $jnext
        (br_if $jdone (i32.ge_u (local.get $j) (local.get $L)))
        (call $combine
          (i32.add (local.get $dk) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $j) (local.get $d))) (i32.const 2)))
          (i32.add (local.get $dS) (i32.shl (local.get $j) (i32.const 2))) (local.get $L)
          (i32.add (local.get $q) (i32.shl (local.get $base) (i32.const 2))) (local.get $d)
          (local.get $L) (local.get $dh))
        (call $combine
          (i32.add (local.get $dv) (i32.shl (i32.add (local.get $base) (i32.mul (local.get $j) (local.get $d))) (i32.const 2)))
          (i32.add (local.get $pp) (i32.shl (local.get $j) (i32.const 2))) (local.get $L)
          (i32.add (local.get $dOut) (i32.shl (local.get $base) (i32.const 2))) (local.get $d)
          (local.get $L) (local.get $dh))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $jnext)))
      (local.set $h (i32.add (local.get $h) (i32.const 1)))
      (br $hnext)))
    (local.set $b (i32.add (local.get $b) (i32.const 1)))
    (br $bnext))))
`;

/** softmaxRows: see the header. Four columns at a time, then the rest one by one. */
const softmaxKernel = `
(func (export "softmaxRows") (param $out i32) (param $x i32) (param $stats i32) (param $rows i32) (param $cols i32)
  (local $r i32) (local $c i32) (local $px i32) (local $po i32) (local $max f32) (local $sum f32)
  (local $vmax v128) (local $vsum v128) (local $e v128) (local $inv f32)
  (block $rdone (loop $rnext
    (br_if $rdone (i32.ge_u (local.get $r) (local.get $rows)))
    (local.set $px (i32.add (local.get $x) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
    (local.set $po (i32.add (local.get $out) (i32.shl (i32.mul (local.get $r) (local.get $cols)) (i32.const 2))))
    ;; the row's max
    (local.set $vmax (v128.const f32x4 -inf -inf -inf -inf))
    (local.set $c (i32.const 0))
    (block $cdone (loop $cnext
      (br_if $cdone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)))
      (local.set $vmax (f32x4.max (local.get $vmax)
        (v128.load align=4 (i32.add (local.get $px) (i32.shl (local.get $c) (i32.const 2))))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $cnext)))
    (local.set $max (f32.max (f32.max (f32x4.extract_lane 0 (local.get $vmax)) (f32x4.extract_lane 1 (local.get $vmax)))
      (f32.max (f32x4.extract_lane 2 (local.get $vmax)) (f32x4.extract_lane 3 (local.get $vmax)))))
    (block $cdone (loop $cnext
      (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
      (local.set $max (f32.max (local.get $max)
        (f32.load (i32.add (local.get $px) (i32.shl (local.get $c) (i32.const 2))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cnext)))
    ;; exp(x − max) into out, and their sum
    (local.set $vmax (f32x4.splat (local.get $max)))
    (local.set $vsum (v128.const i32x4 0 0 0 0))
    (local.set $c (i32.const 0))
    (block $cdone (loop $cnext
      (br_if $cdone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)))
      (local.set $e (call $exp (f32x4.sub
        (v128.load align=4 (i32.add (local.get $px) (i32.shl (local.get $c) (i32.const 2)))) (local.get $vmax))))
      (v128.store align=4 (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))) (local.get $e))
      (local.set $vsum (f32x4.add (local.get $vsum) (local.get $e)))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $cnext)))
    (local.set $sum (call $hsum (local.get $vsum)))
    (block $cdone (loop $cnext
      (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
      (local.set $inv (f32x4.extract_lane 0 (call $exp (f32x4.splat (f32.sub
        (f32.load (i32.add (local.get $px) (i32.shl (local.get $c) (i32.const 2)))) (local.get $max))))))
      (f32.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))) (local.get $inv))
      (local.set $sum (f32.add (local.get $sum) (local.get $inv)))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cnext)))
    (f32.store (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 3))) (local.get $max))
    (f32.store offset=4 (i32.add (local.get $stats) (i32.shl (local.get $r) (i32.const 3))) (local.get $sum))
    ;; normalise
    (local.set $inv (f32.div (f32.const 1) (local.get $sum)))
    (local.set $e (f32x4.splat (local.get $inv)))
    (local.set $c (i32.const 0))
    (block $cdone (loop $cnext
      (br_if $cdone (i32.gt_u (i32.add (local.get $c) (i32.const 4)) (local.get $cols)))
      (v128.store align=4 (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2)))
        (f32x4.mul (local.get $e) (v128.load align=4 (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))))))
      (local.set $c (i32.add (local.get $c) (i32.const 4)))
      (br $cnext)))
    (block $cdone (loop $cnext
      (br_if $cdone (i32.ge_u (local.get $c) (local.get $cols)))
      (f32.store (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2)))
        (f32.mul (local.get $inv) (f32.load (i32.add (local.get $po) (i32.shl (local.get $c) (i32.const 2))))))
      (local.set $c (i32.add (local.get $c) (i32.const 1)))
      (br $cnext)))
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $rnext))))
`;

export function kernelsWat(): string {
  const vLocals = range(4)
    .flatMap((i) => range(2).map((j) => `(local $c${i}_${j} v128)`))
    .join(' ');
  const pLocals = range(4)
    .map((i) => `(local $pa${i} i32) (local $s${i} f32)`)
    .join(' ');
  return `(module
(memory (export "memory") 1)
(func (export "matmul")
  (param $out i32) (param $a i32) (param $ars i32) (param $acs i32) (param $b i32)
  (param $rows i32) (param $inner i32) (param $cols i32) (param $bias i32) (param $acc i32)
  (param $bsums i32)
  (local $r i32) (local $c i32) (local $k i32) (local $pb i32) (local $po i32)
  (local $acsBytes i32) (local $colsBytes i32) (local $sb f32)
  (local $x v128) (local $y0 v128) (local $y1 v128) ${vLocals} ${pLocals}
  (local.set $acsBytes (i32.shl (local.get $acs) (i32.const 2)))
  (local.set $colsBytes (i32.shl (local.get $cols) (i32.const 2)))
  ${initialise}
  (if (local.get $bsums) (then ${columnSums}))
  (local.set $r (i32.const 0))
  (block $r4done (loop $r4loop
    (br_if $r4done (i32.gt_u (i32.add (local.get $r) (i32.const 4)) (local.get $rows)))
    ${rowBlock(4)}
    (local.set $r (i32.add (local.get $r) (i32.const 4)))
    (br $r4loop)))
  (block $r1done (loop $r1loop
    (br_if $r1done (i32.ge_u (local.get $r) (local.get $rows)))
    ${rowBlock(1)}
    (local.set $r (i32.add (local.get $r) (i32.const 1)))
    (br $r1loop)))
)
${activations}
${attentionKernels}
${softmaxKernel}
)
`;
}

import { matmul } from './matmul';
import { simdKernels } from './wasm/simdKernels';
import type { FloatArray } from './parameterLayout';

/**
 * The core of multi-head attention, between the q/k/v projections and the output projection.
 * q, k, v and the output are [batch·length, dModel] with head h in columns h·dHead…(h+1)·dHead;
 * probs is [batch, heads, length, length] (query row, key column).
 *
 * Each (row, head) pair is gathered into small contiguous matrices and multiplied with the
 * blocked matmul kernel: about twice as fast as dot products over the strided head columns.
 * Float32 with a head width that is a multiple of 4 goes to the WebAssembly SIMD kernel
 * (wasm/kernelsWat.ts) instead, every (row, head) pair in one call.
 */
export interface AttentionShape {
  batch: number;
  length: number;
  heads: number;
  headDim: number;
  causal: boolean;
}

/**
 * S = q_h·k_hᵀ/√dHead, masked above the diagonal when causal, A = softmax(S) over keys,
 * o_h = A·v_h. The softmax subtracts the row maximum first, so it cannot overflow; masked
 * entries are left out of the max and the sum, and stored as exact zeros.
 */
export function attentionForward<T extends FloatArray>(
  q: T,
  k: T,
  v: T,
  shape: AttentionShape,
  probs: T,
  out: T,
): void {
  const simd = q instanceof Float32Array && shape.headDim % 4 === 0 ? simdKernels() : null;
  if (simd) {
    const f = (x: T) => x as Float32Array;
    return simd.attention(f(q), f(k), f(v), shape, f(probs), f(out));
  }
  const { batch, length: L, heads, headDim: dh, causal } = shape;
  const d = heads * dh;
  const scale = 1 / Math.sqrt(dh);
  const make = (n: number) => new (q.constructor as new (n: number) => T)(n);
  const qs = make(L * dh);
  const kt = make(dh * L);
  const vs = make(L * dh);
  const os = make(L * dh);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const col = h * dh;
      for (let i = 0; i < L; i++) {
        const src = (b * L + i) * d + col;
        for (let c = 0; c < dh; c++) {
          qs[i * dh + c] = q[src + c] * scale;
          kt[c * L + i] = k[src + c];
          vs[i * dh + c] = v[src + c];
        }
      }
      const po = (b * heads + h) * L * L;
      const p = probs.subarray(po, po + L * L) as T;
      matmul(p, qs, dh, 1, kt, L, dh, L, null, false);
      for (let i = 0; i < L; i++) {
        const r = i * L;
        const keys = causal ? i + 1 : L;
        let max = -Infinity;
        for (let j = 0; j < keys; j++) if (p[r + j] > max) max = p[r + j];
        let sum = 0;
        for (let j = 0; j < keys; j++) {
          const e = Math.exp(p[r + j] - max);
          p[r + j] = e;
          sum += e;
        }
        const inv = 1 / sum;
        for (let j = 0; j < keys; j++) p[r + j] *= inv;
        for (let j = keys; j < L; j++) p[r + j] = 0;
      }
      matmul(os, p, L, 1, vs, L, L, dh, null, false);
      for (let i = 0; i < L; i++) {
        const dst = (b * L + i) * d + col;
        for (let c = 0; c < dh; c++) out[dst + c] = os[i * dh + c];
      }
    }
  }
}

/**
 * Backward of attentionForward: from dOut, writes (not adds) dq, dk, dv. Per head, with
 * dA = dO·vᵀ, the softmax Jacobian gives dS_ij = A_ij (dA_ij − Σ_j' A_ij' dA_ij'); then
 * dv = Aᵀ·dO, dq = dS·k/√dHead, dk = dSᵀ·q/√dHead. Masked entries have A = 0, so dS = 0.
 */
export function attentionBackward<T extends FloatArray>(
  q: T,
  k: T,
  v: T,
  probs: T,
  dOut: T,
  shape: AttentionShape,
  dq: T,
  dk: T,
  dv: T,
): void {
  const simd = q instanceof Float32Array && shape.headDim % 4 === 0 ? simdKernels() : null;
  if (simd) {
    const f = (x: T) => x as Float32Array;
    return simd.attentionBackward(f(q), f(k), f(v), f(probs), f(dOut), shape, f(dq), f(dk), f(dv));
  }
  const { batch, length: L, heads, headDim: dh } = shape;
  const d = heads * dh;
  const scale = 1 / Math.sqrt(dh);
  const make = (n: number) => new (q.constructor as new (n: number) => T)(n);
  const qs = make(L * dh);
  const ks = make(L * dh);
  const vt = make(dh * L);
  const dos = make(L * dh);
  const dS = make(L * L);
  const dqs = make(L * dh);
  const dks = make(L * dh);
  const dvs = make(L * dh);
  for (let b = 0; b < batch; b++) {
    for (let h = 0; h < heads; h++) {
      const col = h * dh;
      for (let i = 0; i < L; i++) {
        const src = (b * L + i) * d + col;
        for (let c = 0; c < dh; c++) {
          qs[i * dh + c] = q[src + c];
          ks[i * dh + c] = k[src + c];
          vt[c * L + i] = v[src + c];
          dos[i * dh + c] = dOut[src + c];
        }
      }
      const po = (b * heads + h) * L * L;
      const p = probs.subarray(po, po + L * L) as T;
      matmul(dS, dos, dh, 1, vt, L, dh, L, null, false); // dA = dO·vᵀ
      matmul(dvs, p, 1, L, dos, L, L, dh, null, false); // dv = Aᵀ·dO
      for (let i = 0; i < L; i++) {
        const r = i * L;
        let rowDot = 0;
        for (let j = 0; j < L; j++) rowDot += p[r + j] * dS[r + j];
        for (let j = 0; j < L; j++) dS[r + j] = p[r + j] * (dS[r + j] - rowDot) * scale;
      }
      matmul(dqs, dS, L, 1, ks, L, L, dh, null, false); // dq = dS·k
      matmul(dks, dS, 1, L, qs, L, L, dh, null, false); // dk = dSᵀ·q
      for (let i = 0; i < L; i++) {
        const dst = (b * L + i) * d + col;
        for (let c = 0; c < dh; c++) {
          dq[dst + c] = dqs[i * dh + c];
          dk[dst + c] = dks[i * dh + c];
          dv[dst + c] = dvs[i * dh + c];
        }
      }
    }
  }
}

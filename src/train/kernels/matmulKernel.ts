import { type DispatchSpec, grid1d, UniformWriter } from '../gpuDispatch';
import { FLAT_INDEX_WGSL, ITEM_WORKGROUP } from './wgslCommon';

/**
 * The one matrix product of the trainer:
 *
 *   C(m, n) (+)= alpha · Σ_k A(m, k) · B(k, n)  (+ bias[n])
 *
 * Every operand is a strided view of a flat f32 buffer, A(m, k) = a[off + m·rowStride +
 * k·colStride], so a transpose is only a swap of strides: the same kernel computes the forward
 * products X·W, the input gradients dY·Wᵀ and the weight gradients Xᵀ·dY (a deterministic
 * reduction over the batch rows along k, no atomics). A batch grid of independent products,
 * z = zOuter·batchInner + zInner, moves each operand by its own strides: (batch row, head) for
 * attention, (q, k, v) for the three projections at once.
 *
 * With the ones-row flag, A gets one extra row of ones (row M) whose output row goes to its own
 * place: a weight gradient Xᵀ·dY then yields its bias gradient Σ_rows dY in the same pass.
 *
 * Three variants of one contract:
 * - 'tiled' (GPUs): each workgroup computes a tileM × tileN block of C, each invocation a
 *   threadM × threadN sub-block in registers, with A and B tiles of depth tileK staged in
 *   workgroup memory between barriers.
 * - 'registers' (software adapters): no workgroup memory and no barrier; each invocation
 *   computes a 4 × 4 block straight from the buffers (vec4 loads where aligned), and the blocks
 *   of all batch entries are laid out along one flat grid. On SwiftShader a barrier is a
 *   coroutine switch: the tiled kernel ran at ≈ 35 MFLOP/s there, this one at ≈ 0.5 GFLOP/s
 *   per CPU core (measured on the default model's products; scripts/measure-gpu-step.ts).
 * - 'shared' (software adapters with 4-wide subgroups): the register kernel with its A loads
 *   shared across a subgroup. SwiftShader runs 4 invocations as one SIMD group and emulates
 *   every storage-buffer load with a dynamic index as a 4-lane gather (one branch and one
 *   scalar load per lane), so 4 invocations that need the same row of A each pay for it. Here
 *   the 4 lanes of a subgroup compute the same 8 rows of C, each its own 8 columns: each lane
 *   loads 2 of the 8 A values of a k step and subgroupBroadcast hands them to all (a mask and
 *   a horizontal OR, no memory access), so a k step costs 10 gathers per lane instead of 16,
 *   for 64 multiply-adds instead of 16 (≈ 1.3–1.6× the 'registers' kernel on the training
 *   products; bench/train.ts has the figures).
 */
export type MatmulVariant = 'tiled' | 'registers' | 'shared';

export interface MatmulTile {
  tileM: number;
  tileN: number;
  tileK: number;
  threadM: number;
  threadN: number;
}

/** For products with both output sides ≥ 32 (the dense layers). */
export const LARGE_TILE: MatmulTile = { tileM: 32, tileN: 32, tileK: 16, threadM: 4, threadN: 4 };
/** For small products (attention per head), where a large tile would mostly compute zeros. */
export const SMALL_TILE: MatmulTile = { tileM: 16, tileN: 16, tileK: 16, threadM: 2, threadN: 2 };
/** Outputs per invocation of the register variant. */
export const REGISTER_BLOCK = { blockM: 4, blockN: 4 };
/** k steps per loop iteration of the register variant (a software adapter pays per iteration). */
const K_UNROLL = 4;
/**
 * The 'shared' variant: `lanes` invocations (one subgroup) compute `rows` rows of C together,
 * each its own `cols` columns.
 */
export const SHARED_TILE = { rows: 8, cols: 8, lanes: 4 };

const PARAMS_WGSL = /* wgsl */ `
struct Params {
  M: u32, N: u32, K: u32, batchInner: u32,
  aOff: u32, aRow: u32, aCol: u32, aZo: u32, aZi: u32,
  bOff: u32, bRow: u32, bCol: u32, bZo: u32, bZi: u32,
  cOff: u32, cRow: u32, cZo: u32, cZi: u32,
  biasOff: u32, biasZo: u32, biasZi: u32,
  onesOff: u32, onesZo: u32, onesZi: u32,
  flags: u32, alpha: f32, batchCount: u32,
}
@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read> a: array<f32>;
@group(0) @binding(2) var<storage, read> b: array<f32>;
@group(0) @binding(3) var<storage, read> bias: array<f32>;
@group(0) @binding(4) var<storage, read_write> c: array<f32>;
const HAS_BIAS = 1u;
const ACCUMULATE = 2u;
const ONES_ROW = 4u;

/** Rows of A including the ones row. */
fn rowsOfA() -> u32 {
  return p.M + select(0u, 1u, (p.flags & ONES_ROW) != 0u);
}

/** Writes one output element: row M is the ones row, which has its own destination. */
fn store(m: u32, n: u32, zo: u32, zi: u32, sum: f32) {
  var value = p.alpha * sum;
  var at: u32;
  if (m < p.M) {
    at = p.cOff + zo * p.cZo + zi * p.cZi + m * p.cRow + n;
    if ((p.flags & HAS_BIAS) != 0u) { value += bias[p.biasOff + zo * p.biasZo + zi * p.biasZi + n]; }
  } else {
    at = p.onesOff + zo * p.onesZo + zi * p.onesZi + n;
  }
  if ((p.flags & ACCUMULATE) != 0u) { value += c[at]; }
  c[at] = value;
}
`;

export function matmulWgsl(tile: MatmulTile): string {
  const { tileM, tileN, tileK, threadM, threadN } = tile;
  const wx = tileN / threadN;
  const wy = tileM / threadM;
  if (!Number.isInteger(wx) || !Number.isInteger(wy)) {
    throw new Error('matmul tile sides must be multiples of the per-thread block');
  }
  const threads = wx * wy;
  return /* wgsl */ `
${PARAMS_WGSL}
const TM = ${tileM}u;
const TN = ${tileN}u;
const TK = ${tileK}u;
const RM = ${threadM}u;
const RN = ${threadN}u;
const THREADS = ${threads}u;

// A tile stored k-major (As[k][m]) so each invocation reads its RM rows contiguously.
var<workgroup> As: array<f32, ${tileK * tileM}>;
var<workgroup> Bs: array<f32, ${tileK * tileN}>;

@compute @workgroup_size(${wx}, ${wy}, 1)
fn main(@builtin(workgroup_id) wid: vec3u,
        @builtin(local_invocation_id) lid: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let zo = wid.z / p.batchInner;
  let zi = wid.z % p.batchInner;
  let aBase = p.aOff + zo * p.aZo + zi * p.aZi;
  let bBase = p.bOff + zo * p.bZo + zi * p.bZi;
  let mRows = rowsOfA();
  let m0 = wid.y * TM;
  let n0 = wid.x * TN;
  var acc: array<array<f32, RN>, RM>;
  for (var k0 = 0u; k0 < p.K; k0 += TK) {
    for (var e = li; e < TM * TK; e += THREADS) {
      let mm = e / TK;
      let kk = e % TK;
      let m = m0 + mm;
      let k = k0 + kk;
      var value = 0.0;
      if (m < p.M && k < p.K) {
        value = a[aBase + m * p.aRow + k * p.aCol];
      } else if (m == p.M && m < mRows && k < p.K) {
        value = 1.0;
      }
      As[kk * TM + mm] = value;
    }
    for (var e = li; e < TK * TN; e += THREADS) {
      let kk = e / TN;
      let nn = e % TN;
      let k = k0 + kk;
      let n = n0 + nn;
      var value = 0.0;
      if (k < p.K && n < p.N) { value = b[bBase + k * p.bRow + n * p.bCol]; }
      Bs[kk * TN + nn] = value;
    }
    workgroupBarrier();
    for (var kk = 0u; kk < TK; kk++) {
      var av: array<f32, RM>;
      var bv: array<f32, RN>;
      for (var i = 0u; i < RM; i++) { av[i] = As[kk * TM + lid.y * RM + i]; }
      for (var j = 0u; j < RN; j++) { bv[j] = Bs[kk * TN + lid.x * RN + j]; }
      for (var i = 0u; i < RM; i++) {
        for (var j = 0u; j < RN; j++) { acc[i][j] += av[i] * bv[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < RM; i++) {
    let m = m0 + lid.y * RM + i;
    if (m >= mRows) { continue; }
    for (var j = 0u; j < RN; j++) {
      let n = n0 + lid.x * RN + j;
      if (n < p.N) { store(m, n, zo, zi, acc[i][j]); }
    }
  }
}
`;
}

/** The k loop of the unrolled kernels: `kUnroll` k steps per iteration, then the remainder. */
function unrolledKLoop(kStep: string, kUnroll: number): string {
  return `var k = 0u;
  for (; k + ${kUnroll - 1}u < p.K; k += ${kUnroll}u) {
    ${Array.from({ length: kUnroll }, () => kStep).join('\n    ')}
  }
  for (; k < p.K; k++) {
    ${kStep}
  }`;
}

/** Stores the register block c{i}_{j} of the unrolled kernels, skipping rows and columns past C. */
function storeBlock(rows: number[], cols: number[]): string {
  return rows
    .map(
      (i) =>
        `if (m0 + ${i}u < mRows) {\n    ${cols
          .map(
            (j) => `if (n0 + ${j}u < p.N) { store(m0 + ${i}u, n0 + ${j}u, zo, zi, c${i}_${j}); }`,
          )
          .join('\n    ')}\n  }`,
    )
    .join('\n  ');
}

/**
 * The register variant, generated fully unrolled: the block lives in scalar variables and
 * every operand index is advanced by addition, because a software compiler (SwiftShader's
 * Subzero) keeps indexed private arrays in memory and bounds-checks each access.
 */
export function matmulRegistersWgsl(
  block: { blockM: number; blockN: number } = REGISTER_BLOCK,
  kUnroll = K_UNROLL,
): string {
  const { blockM: RM, blockN: RN } = block;
  const rows = [...Array(RM).keys()];
  const cols = [...Array(RN).keys()];
  const lines = (f: (i: number) => string, n: number[]) => n.map(f).join('\n  ');
  const cells = (f: (i: number, j: number) => string) =>
    rows.flatMap((i) => cols.map((j) => f(i, j))).join('\n    ');
  // One k step: load a column of A and a row of B, rank-1 update, advance the indices.
  // Multiply-add, not fma(): SwiftShader emulates fma exactly, at several times the cost, and
  // GPU compilers fuse the pair anyway.
  const step = [
    ...rows.map((i) => `let a${i} = a[ai${i}] * real${i} + ones${i};`),
    ...cols.map((j) => `let b${j} = b[bi${j}];`),
    ...rows.flatMap((i) => cols.map((j) => `c${i}_${j} += a${i} * b${j};`)),
    ...rows.map((i) => `ai${i} += p.aCol;`),
    ...cols.map((j) => `bi${j} += p.bRow;`),
  ].join('\n      ');
  const kStep = `{\n      ${step}\n    }`;
  return /* wgsl */ `
${PARAMS_WGSL}
${FLAT_INDEX_WGSL}
const RM = ${RM}u;
const RN = ${RN}u;

@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let mRows = rowsOfA();
  let blocksM = (mRows + RM - 1u) / RM;
  let blocksN = (p.N + RN - 1u) / RN;
  let perZ = blocksM * blocksN;
  let idx = flatIndex(wid, nwg, li);
  if (idx >= perZ * p.batchCount) { return; }
  let z = idx / perZ;
  let r = idx % perZ;
  let zo = z / p.batchInner;
  let zi = z % p.batchInner;
  let m0 = (r / blocksN) * RM;
  let n0 = (r % blocksN) * RN;
  let aBase = p.aOff + zo * p.aZo + zi * p.aZi;
  let bBase = p.bOff + zo * p.bZo + zi * p.bZi;
  // A(m, k) = a[…]·real + ones: rows past M read row 0 and are zeroed (or become the ones
  // row); columns past N read column N − 1 and are never stored.
  ${lines((i) => `var ai${i} = aBase + select(0u, (m0 + ${i}u) * p.aRow, m0 + ${i}u < p.M);`, rows)}
  ${lines((i) => `let real${i} = select(0.0, 1.0, m0 + ${i}u < p.M);`, rows)}
  ${lines((i) => `let ones${i} = select(0.0, 1.0, m0 + ${i}u == p.M && m0 + ${i}u < mRows);`, rows)}
  ${lines((j) => `var bi${j} = bBase + min(n0 + ${j}u, p.N - 1u) * p.bCol;`, cols)}
  ${cells((i, j) => `var c${i}_${j} = 0.0;`).replace(/\n {4}/g, '\n  ')}
  ${unrolledKLoop(kStep, kUnroll)}
  ${storeBlock(rows, cols)}
}
`;
}

/**
 * The 'shared' variant (see the top of this file), generated unrolled like the register one.
 * Lane l of a subgroup loads rows m0 + l and m0 + l + 4 of A; row m0 + i reaches every lane as
 * subgroupBroadcast(slot i / 4, lane i % 4). Every lane runs the whole k loop, even past the
 * last tile or column (indices clamped, nothing stored), so a broadcast never reads an inactive
 * lane. Assumes subgroups of exactly 4 consecutive invocations (trainerKernels.ts checks).
 */
export function matmulSharedWgsl(): string {
  const { rows: RM, cols: RN, lanes } = SHARED_TILE;
  const slotCount = RM / lanes;
  const slots = [...Array(slotCount).keys()];
  const rows = [...Array(RM).keys()];
  const cols = [...Array(RN).keys()];
  const lines = (parts: string[]) => parts.join('\n  ');
  const step = [
    ...slots.map((t) => `let va${t} = a[ai${t}] * real${t} + ones${t};`),
    ...cols.map((j) => `let b${j} = b[bi${j}];`),
    ...rows.map((i) => `let a${i} = subgroupBroadcast(va${Math.floor(i / lanes)}, ${i % lanes}u);`),
    ...rows.flatMap((i) => cols.map((j) => `c${i}_${j} += a${i} * b${j};`)),
    ...slots.map((t) => `ai${t} += p.aCol;`),
    ...cols.map((j) => `bi${j} += p.bRow;`),
  ].join('\n      ');
  const kStep = `{\n      ${step}\n    }`;
  return /* wgsl */ `
enable subgroups;
// Control flow is uniform up to the last broadcast (no early return); the analysis cannot see
// that the flat index only decides what is stored.
diagnostic(off, subgroup_uniformity);
${PARAMS_WGSL}
${FLAT_INDEX_WGSL}

@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let mRows = rowsOfA();
  let tilesM = (mRows + ${RM - 1}u) / ${RM}u;
  let tilesN = (p.N + ${lanes * RN - 1}u) / ${lanes * RN}u;
  let perZ = tilesM * tilesN;
  let tiles = perZ * p.batchCount;
  let idx = flatIndex(wid, nwg, li);
  let lane = idx % ${lanes}u;
  let tile = idx / ${lanes}u;
  let live = tile < tiles;
  let t = min(tile, tiles - 1u);
  let z = t / perZ;
  let r = t % perZ;
  let zo = z / p.batchInner;
  let zi = z % p.batchInner;
  let m0 = (r / tilesN) * ${RM}u;
  let n0 = (r % tilesN) * ${lanes * RN}u + lane * ${RN}u;
  let aBase = p.aOff + zo * p.aZo + zi * p.aZi;
  let bBase = p.bOff + zo * p.bZo + zi * p.bZi;
  // As in the register kernel: rows past M read row 0 and are zeroed (or become the ones row);
  // columns past N read column N − 1 and are never stored.
  ${lines(slots.map((t) => `let row${t} = m0 + lane + ${lanes * t}u;`))}
  ${lines(slots.map((t) => `var ai${t} = aBase + select(0u, row${t} * p.aRow, row${t} < p.M);`))}
  ${lines(slots.map((t) => `let real${t} = select(0.0, 1.0, row${t} < p.M);`))}
  ${lines(slots.map((t) => `let ones${t} = select(0.0, 1.0, row${t} == p.M && row${t} < mRows);`))}
  ${lines(cols.map((j) => `var bi${j} = bBase + min(n0 + ${j}u, p.N - 1u) * p.bCol;`))}
  ${lines(rows.flatMap((i) => cols.map((j) => `var c${i}_${j} = 0.0;`)))}
  ${unrolledKLoop(kStep, K_UNROLL)}
  if (!live) { return; }
  ${storeBlock(rows, cols)}
}
`;
}

/** Which operand direction the vec4 variant loads four at a time. */
export interface Vec4Layout {
  /** 'k': four consecutive k of one row of A (aCol = 1); 'm': four rows at one k (aRow = 1). */
  a: 'k' | 'm';
  /** 'n': four consecutive columns of one row of B (bCol = 1); 'k': four k of one column. */
  b: 'n' | 'k';
}

export const VEC4_LAYOUTS: Vec4Layout[] = [
  { a: 'k', b: 'n' },
  { a: 'k', b: 'k' },
  { a: 'm', b: 'n' },
  { a: 'm', b: 'k' },
];

export const vec4LayoutKey = (l: Vec4Layout) => `${l.a}${l.b}`;

/**
 * The register variant when both operands can be read as aligned vec4s: a 4×4 block, four k
 * per iteration, 8 vector loads per 64 multiply-adds instead of 32 scalar ones. Chosen by
 * matmulDispatch when the strides and offsets allow (vec4Layout); the scalar kernel covers the
 * rest.
 */
export function matmulVec4Wgsl(layout: Vec4Layout): string {
  const q = [0, 1, 2, 3];
  const comp = ['x', 'y', 'z', 'w'];
  const join = (parts: string[], indent: string) => parts.join(`\n${indent}`);
  const aSetup =
    layout.a === 'k'
      ? join(
          q.map(
            (i) =>
              `var ai${i} = (aBase + select(0u, (m0 + ${i}u) * p.aRow, m0 + ${i}u < p.M)) / 4u;`,
          ),
          '  ',
        ) +
        '\n  ' +
        join(
          q.map((i) => `let real${i} = select(0.0, 1.0, m0 + ${i}u < p.M);`),
          '  ',
        ) +
        '\n  ' +
        join(
          q.map((i) => `let ones${i} = select(0.0, 1.0, m0 + ${i}u == p.M && m0 + ${i}u < mRows);`),
          '  ',
        )
      : // M is a multiple of 4 here: a block is all real rows, or starts at the ones row.
        `var ai = (aBase + select(0u, m0, m0 < p.M)) / 4u;
  let aCol4 = p.aCol / 4u;
  let real = select(0.0, 1.0, m0 < p.M);
  let ones = select(vec4f(0.0), vec4f(1.0, 0.0, 0.0, 0.0), m0 == p.M && m0 < mRows);`;
  const aLoad =
    layout.a === 'k'
      ? q.map((i) => `let va${i} = a[ai${i}] * real${i} + ones${i};`)
      : q.map((j) => `let va${j} = a[ai + ${j}u * aCol4] * real + ones;`);
  const aAdvance = layout.a === 'k' ? q.map((i) => `ai${i} += 1u;`) : ['ai += 4u * aCol4;'];
  const bSetup =
    layout.b === 'n'
      ? `var bi = (bBase + n0) / 4u;
  let bRow4 = p.bRow / 4u;`
      : join(
          q.map((l) => `var bi${l} = (bBase + min(n0 + ${l}u, p.N - 1u) * p.bCol) / 4u;`),
          '  ',
        );
  const bLoad =
    layout.b === 'n'
      ? q.map((j) => `let vb${j} = b[bi + ${j}u * bRow4];`)
      : q.map((l) => `let vb${l} = b[bi${l}];`);
  const bAdvance = layout.b === 'n' ? ['bi += 4u * bRow4;'] : q.map((l) => `bi${l} += 1u;`);
  // Row i of A over the four k of this iteration, as a vec4.
  const aRow = (i: number) =>
    layout.a === 'k' ? `va${i}` : `vec4f(${q.map((j) => `va${j}.${comp[i]}`).join(', ')})`;
  const update = q.map((i) =>
    layout.b === 'n'
      ? layout.a === 'k'
        ? `c${i} += ${q.map((j) => `va${i}.${comp[j]} * vb${j}`).join(' + ')};`
        : `c${i} += ${q.map((j) => `va${j}.${comp[i]} * vb${j}`).join(' + ')};`
      : `c${i} += vec4f(${q.map((l) => `dot(${aRow(i)}, vb${l})`).join(', ')});`,
  );
  const body = join([...aLoad, ...bLoad, ...update, ...aAdvance, ...bAdvance], '    ');
  return /* wgsl */ `
${PARAMS_WGSL.replace(
  'var<storage, read> a: array<f32>',
  'var<storage, read> a: array<vec4f>',
).replace('var<storage, read> b: array<f32>', 'var<storage, read> b: array<vec4f>')}
${FLAT_INDEX_WGSL}

@compute @workgroup_size(${ITEM_WORKGROUP})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u,
        @builtin(local_invocation_index) li: u32) {
  let mRows = rowsOfA();
  let blocksM = (mRows + 3u) / 4u;
  let blocksN = (p.N + 3u) / 4u;
  let perZ = blocksM * blocksN;
  let idx = flatIndex(wid, nwg, li);
  if (idx >= perZ * p.batchCount) { return; }
  let z = idx / perZ;
  let r = idx % perZ;
  let zo = z / p.batchInner;
  let zi = z % p.batchInner;
  let m0 = (r / blocksN) * 4u;
  let n0 = (r % blocksN) * 4u;
  let aBase = p.aOff + zo * p.aZo + zi * p.aZi;
  let bBase = p.bOff + zo * p.bZo + zi * p.bZi;
  ${aSetup}
  ${bSetup}
  ${join(
    q.map((i) => `var c${i} = vec4f(0.0);`),
    '  ',
  )}
  for (var k = 0u; k < p.K; k += 4u) {
    ${body}
  }
  ${join(
    q.map(
      (i) =>
        `if (m0 + ${i}u < mRows) {\n    ${join(
          q.map(
            (l) =>
              `if (n0 + ${l}u < p.N) { store(m0 + ${i}u, n0 + ${l}u, zo, zi, c${i}.${comp[l]}); }`,
          ),
          '    ',
        )}\n  }`,
    ),
    '  ',
  )}
}
`;
}

/**
 * The vec4 layout a product can use, or null: the loaded direction of each operand must have
 * stride 1, every other stride and offset a multiple of 4 (16-byte aligned vec4s), K a multiple
 * of 4, and the buffers whole vec4s. Loading A along m also needs M % 4 = 0 (a block never
 * straddles the ones row), loading B along n needs N % 4 = 0.
 */
export function vec4Layout(args: MatmulArgs): Vec4Layout | null {
  const { a, b, m, n, k } = args;
  const aligned = (...xs: (number | undefined)[]) => xs.every((x) => (x ?? 0) % 4 === 0);
  const whole = (buffer: GPUBuffer) => typeof buffer.size === 'number' && buffer.size % 16 === 0;
  if (k % 4 !== 0 || !whole(a.buffer) || !whole(b.buffer)) return null;
  if (!aligned(a.offset, a.zOuterStride, a.zInnerStride, b.offset, b.zOuterStride, b.zInnerStride))
    return null;
  let aDir: Vec4Layout['a'] | null = null;
  if (a.colStride === 1 && aligned(a.rowStride)) aDir = 'k';
  else if (a.rowStride === 1 && aligned(a.colStride) && m % 4 === 0) aDir = 'm';
  let bDir: Vec4Layout['b'] | null = null;
  if (b.colStride === 1 && aligned(b.rowStride) && n % 4 === 0) bDir = 'n';
  else if (b.rowStride === 1 && aligned(b.colStride)) bDir = 'k';
  return aDir && bDir ? { a: aDir, b: bDir } : null;
}

/** A strided view of a matrix inside a flat buffer, optionally moving along the batch grid. */
export interface MatrixView {
  buffer: GPUBuffer;
  offset: number;
  rowStride: number;
  colStride: number;
  /** Added per outer batch index (default 0). */
  zOuterStride?: number;
  /** Added per inner batch index (default 0). */
  zInnerStride?: number;
}

/** The [rows, cols] row-major matrix at `offset`. */
export function rowMajor(buffer: GPUBuffer, offset: number, cols: number): MatrixView {
  return { buffer, offset, rowStride: cols, colStride: 1 };
}

/** The transpose of the [rows, cols] row-major matrix stored at `offset`. */
export function transposed(buffer: GPUBuffer, offset: number, storedCols: number): MatrixView {
  return { buffer, offset, rowStride: 1, colStride: storedCols };
}

export interface MatmulArgs {
  label: string;
  m: number;
  n: number;
  k: number;
  a: MatrixView;
  b: MatrixView;
  /** Output view; its colStride must be 1. */
  c: MatrixView;
  /** bias[n] at buffer[offset + n], moving with the batch strides of the view. */
  bias?: { buffer: GPUBuffer; offset: number; zOuterStride?: number; zInnerStride?: number };
  /**
   * Appends a row of ones to A; its output row (Σ_k B(k, n), a bias gradient) is written at
   * buffer offset + n of C's buffer, moving with the batch strides given here.
   */
  onesRow?: { offset: number; zOuterStride?: number; zInnerStride?: number };
  accumulate?: boolean;
  alpha?: number;
  batchOuter?: number;
  batchInner?: number;
}

/** The compiled variant; `placeholder` is bound in the bias slot when there is no bias. */
export type MatmulPipelines =
  | {
      variant: 'tiled';
      large: GPUComputePipeline;
      small: GPUComputePipeline;
      placeholder: GPUBuffer;
    }
  | {
      variant: 'registers';
      registers: GPUComputePipeline;
      /** The vec4 kernels by vec4LayoutKey. */
      vec4: Record<string, GPUComputePipeline>;
      placeholder: GPUBuffer;
    }
  | {
      variant: 'shared';
      shared: GPUComputePipeline;
      /** The register kernels, for products narrower than a shared tile (attention heads). */
      registers: GPUComputePipeline;
      vec4: Record<string, GPUComputePipeline>;
      placeholder: GPUBuffer;
    };

/** The large tile when both sides of the output fill it, else the small one. */
export function chooseTile(m: number, n: number): 'large' | 'small' {
  return m >= LARGE_TILE.tileM && n >= LARGE_TILE.tileN ? 'large' : 'small';
}

export function matmulDispatch(pipelines: MatmulPipelines, args: MatmulArgs): DispatchSpec {
  const { m, n, k, a, b, c, bias, onesRow } = args;
  if (c.colStride !== 1) throw new Error(`${args.label}: the output must have column stride 1`);
  if (c.buffer === a.buffer || c.buffer === b.buffer || (bias && bias.buffer === c.buffer)) {
    throw new Error(`${args.label}: the output buffer cannot also be an input`);
  }
  if (bias && onesRow) throw new Error(`${args.label}: a bias and a ones row exclude each other`);
  const outer = args.batchOuter ?? 1;
  const inner = args.batchInner ?? 1;
  const w = new UniformWriter()
    .u32(m)
    .u32(n)
    .u32(k)
    .u32(inner)
    .u32(a.offset)
    .u32(a.rowStride)
    .u32(a.colStride)
    .u32(a.zOuterStride ?? 0)
    .u32(a.zInnerStride ?? 0)
    .u32(b.offset)
    .u32(b.rowStride)
    .u32(b.colStride)
    .u32(b.zOuterStride ?? 0)
    .u32(b.zInnerStride ?? 0)
    .u32(c.offset)
    .u32(c.rowStride)
    .u32(c.zOuterStride ?? 0)
    .u32(c.zInnerStride ?? 0)
    .u32(bias?.offset ?? 0)
    .u32(bias?.zOuterStride ?? 0)
    .u32(bias?.zInnerStride ?? 0)
    .u32(onesRow?.offset ?? 0)
    .u32(onesRow?.zOuterStride ?? 0)
    .u32(onesRow?.zInnerStride ?? 0)
    .u32((bias ? 1 : 0) | (args.accumulate ? 2 : 0) | (onesRow ? 4 : 0))
    .f32(args.alpha ?? 1)
    .u32(outer * inner);
  const rows = m + (onesRow ? 1 : 0);
  const storage = [a.buffer, b.buffer, bias?.buffer ?? pipelines.placeholder, c.buffer];
  // A shared tile spans lanes × cols columns; narrower products (attention per head) would
  // leave lanes idle, so they take the register kernel.
  if (pipelines.variant === 'shared' && n >= SHARED_TILE.lanes * SHARED_TILE.cols) {
    const { rows: tileRows, cols, lanes } = SHARED_TILE;
    const tiles = Math.ceil(rows / tileRows) * Math.ceil(n / (lanes * cols)) * outer * inner;
    return {
      label: args.label,
      pipeline: pipelines.shared,
      uniform: w.finish(),
      storage,
      workgroups: grid1d(tiles * lanes, ITEM_WORKGROUP),
    };
  }
  if (pipelines.variant !== 'tiled') {
    const { blockM, blockN } = REGISTER_BLOCK;
    const blocks = Math.ceil(rows / blockM) * Math.ceil(n / blockN) * outer * inner;
    const vec4 = vec4Layout(args);
    return {
      label: args.label,
      pipeline: vec4 ? pipelines.vec4[vec4LayoutKey(vec4)] : pipelines.registers,
      uniform: w.finish(),
      storage,
      workgroups: grid1d(blocks, ITEM_WORKGROUP),
    };
  }
  const which = chooseTile(rows, n);
  const tile = which === 'large' ? LARGE_TILE : SMALL_TILE;
  return {
    label: args.label,
    pipeline: pipelines[which],
    uniform: w.finish(),
    storage,
    workgroups: [Math.ceil(n / tile.tileN), Math.ceil(rows / tile.tileM), outer * inner],
  };
}

/**
 * Validation of an imported trace (a JSON string or an already parsed value). Reports every
 * problem found, each with the path to the offending field, rather than the first one only, so a
 * hand-edited or foreign file can be fixed in one go.
 */
import { resolveOptions, type ResolvedSamplerOptions, type SamplerOptions } from './options';
import type { TopCandidate } from './predict';
import {
  POSITION_STATUSES,
  TRACE_SCHEMA,
  type PositionStatus,
  type SamplerTrace,
  type TraceRecord,
} from './trace';
import { parseTraceVocabulary } from './traceVocabulary';
import { parseLineage, type TraceLineage } from './traceLineage';

export type ParseTraceResult = { ok: true; trace: SamplerTrace } | { ok: false; errors: string[] };

const MAX_ERRORS = 20;

type Obj = Record<string, unknown>;
const isObj = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
const isInt = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x);

class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
}

function tokenArray(
  p: Problems,
  x: unknown,
  path: string,
  n: number,
  vocab: number,
): number[] | null {
  if (!Array.isArray(x)) return (p.add(path, 'expected an array of token ids'), null);
  if (x.length !== n) return (p.add(path, `expected ${n} entries, found ${x.length}`), null);
  for (let i = 0; i < n; i++) {
    if (!isInt(x[i]) || x[i] < 0 || x[i] >= vocab) {
      p.add(`${path}[${i}]`, `expected a token id in [0, ${vocab}), found ${JSON.stringify(x[i])}`);
      return null;
    }
  }
  return x as number[];
}

function boolArray(p: Problems, x: unknown, path: string, n: number): boolean[] | null {
  if (!Array.isArray(x) || x.length !== n || x.some((b) => typeof b !== 'boolean')) {
    p.add(path, `expected ${n} booleans`);
    return null;
  }
  return x as boolean[];
}

function parseRecord(
  p: Problems,
  x: unknown,
  path: string,
  k: number,
  n: number,
  vocab: number,
  traceTopK: number,
): TraceRecord | null {
  if (!isObj(x)) return (p.add(path, 'expected an object'), null);
  const errorsBefore = p.list.length;
  if (x.call !== k) p.add(`${path}.call`, `expected ${k}, found ${JSON.stringify(x.call)}`);
  for (const f of ['block', 'stepInBlock', 'committed', 'remasked'] as const) {
    if (!isInt(x[f]) || (x[f] as number) < 0) p.add(`${path}.${f}`, 'expected an integer ≥ 0');
  }
  // Written since the block-causal and editing samplers; older traces have neither.
  const inputLength = x.inputLength ?? n;
  if (!isInt(inputLength) || inputLength < 1 || inputLength > n) {
    p.add(`${path}.inputLength`, `expected an integer in [1, ${n}]`);
  }
  const edited = x.edited ?? 0;
  if (!isInt(edited) || edited < 0) p.add(`${path}.edited`, 'expected an integer ≥ 0');
  if (!(x.t === null || (typeof x.t === 'number' && Number.isFinite(x.t)))) {
    p.add(`${path}.t`, 'expected a number or null');
  }
  const before = tokenArray(p, x.before, `${path}.before`, n, vocab);
  const after = tokenArray(p, x.after, `${path}.after`, n, vocab);
  const prediction = tokenArray(p, x.prediction, `${path}.prediction`, n, vocab);
  const candidate = boolArray(p, x.candidate, `${path}.candidate`, n);
  let confidence: number[] | null = null;
  if (!Array.isArray(x.confidence) || x.confidence.length !== n) {
    p.add(`${path}.confidence`, `expected ${n} numbers (null for −∞)`);
  } else {
    confidence = x.confidence.map((c) => (c === null ? -Infinity : (c as number)));
    const bad = x.confidence.findIndex(
      (c) => c !== null && !(typeof c === 'number' && Number.isFinite(c)),
    );
    if (bad >= 0) p.add(`${path}.confidence[${bad}]`, 'expected a finite number or null');
  }
  let status: PositionStatus[] | null = null;
  if (!Array.isArray(x.status) || x.status.length !== n) {
    p.add(`${path}.status`, `expected ${n} statuses`);
  } else {
    const bad = x.status.findIndex((s) => !POSITION_STATUSES.includes(s as PositionStatus));
    if (bad >= 0) {
      p.add(
        `${path}.status[${bad}]`,
        `expected one of ${POSITION_STATUSES.join(', ')}, found ${JSON.stringify(x.status[bad])}`,
      );
    } else status = x.status as PositionStatus[];
  }
  let topK: TopCandidate[][] | null = null;
  if (!Array.isArray(x.topK) || x.topK.length !== n) {
    p.add(`${path}.topK`, `expected ${n} candidate lists`);
  } else {
    topK = x.topK as TopCandidate[][];
    topK.forEach((list, i) => {
      const at = `${path}.topK[${i}]`;
      if (!Array.isArray(list) || list.length > traceTopK) {
        p.add(at, `expected a list of at most ${traceTopK} candidates`);
        return;
      }
      list.forEach((c, j) => {
        if (!isObj(c) || !isInt(c.token) || c.token < 0 || c.token >= vocab) {
          p.add(`${at}[${j}].token`, `expected a token id in [0, ${vocab})`);
        } else if (typeof c.prob !== 'number' || !(c.prob >= 0 && c.prob <= 1)) {
          p.add(`${at}[${j}].prob`, 'expected a probability in [0, 1]');
        } else if (j > 0 && c.prob > list[j - 1].prob) {
          p.add(`${at}[${j}]`, 'candidates must be sorted by decreasing probability');
        }
      });
    });
  }
  if (p.list.length > errorsBefore || !before || !after || !prediction || !candidate) return null;
  if (!confidence || !status || !topK) return null;
  return {
    call: k,
    block: x.block as number,
    stepInBlock: x.stepInBlock as number,
    t: x.t as number | null,
    inputLength: inputLength as number,
    committed: x.committed as number,
    remasked: x.remasked as number,
    edited: edited as number,
    before,
    after,
    prediction,
    confidence,
    candidate,
    status,
    topK,
  };
}

/** The status a position must have given its tokens before and after (null: masked or remasked). */
function expectedStatus(
  pinned: boolean,
  before: number,
  after: number,
  maskId: number,
): PositionStatus | null {
  const wasMasked = before === maskId;
  const isMasked = after === maskId;
  if (pinned) return 'pinned';
  if (wasMasked && !isMasked) return 'committed';
  if (!wasMasked && isMasked) return 'remasked';
  if (!wasMasked && !isMasked) return before === after ? 'kept' : 'edited';
  return null;
}

function checkRecordConsistency(
  p: Problems,
  r: TraceRecord,
  path: string,
  previous: number[],
  pinned: boolean[],
  maskId: number,
): void {
  for (let i = 0; i < previous.length; i++) {
    if (r.before[i] !== previous[i]) {
      p.add(
        `${path}.before[${i}]`,
        `does not continue the previous sequence (expected ${previous[i]}, found ${r.before[i]})`,
      );
      return;
    }
  }
  let committed = 0;
  let remasked = 0;
  let edited = 0;
  for (let i = 0; i < r.before.length; i++) {
    const want = expectedStatus(pinned[i], r.before[i], r.after[i], maskId);
    const s = r.status[i];
    if (want === null ? s !== 'masked' && s !== 'remasked' : s !== want) {
      p.add(`${path}.status[${i}]`, `'${s}' does not match tokens ${r.before[i]} → ${r.after[i]}`);
    }
    if ((pinned[i] || s === 'kept') && r.after[i] !== r.before[i]) {
      p.add(
        `${path}.after[${i}]`,
        `a ${pinned[i] ? 'pinned' : 'kept'} token changed (${r.before[i]} → ${r.after[i]})`,
      );
    }
    // A token is written from the model's prediction, which exists only where it looked.
    if ((s === 'edited' || s === 'committed') && i >= r.inputLength) {
      p.add(
        `${path}.status[${i}]`,
        `${s}, but the model was given only ${r.inputLength} positions`,
      );
    }
    if (s === 'committed') committed++;
    if (s === 'remasked') remasked++;
    if (s === 'edited') edited++;
  }
  if (r.committed !== committed)
    p.add(
      `${path}.committed`,
      `is ${r.committed} but ${committed} positions have status committed`,
    );
  if (r.remasked !== remasked)
    p.add(`${path}.remasked`, `is ${r.remasked} but ${remasked} positions have status remasked`);
  if (r.edited !== edited)
    p.add(`${path}.edited`, `is ${r.edited} but ${edited} positions have status edited`);
}

export function parseTrace(input: unknown): ParseTraceResult {
  const p = new Problems();
  let x = input;
  if (typeof input === 'string') {
    try {
      x = JSON.parse(input);
    } catch (e) {
      return { ok: false, errors: [`not JSON: ${(e as Error).message}`] };
    }
  }
  if (!isObj(x)) return { ok: false, errors: ['expected a JSON object'] };
  if (x.schema !== TRACE_SCHEMA) {
    return {
      ok: false,
      errors: [`schema: expected '${TRACE_SCHEMA}', found ${JSON.stringify(x.schema)}`],
    };
  }
  let options: ResolvedSamplerOptions | null = null;
  if (!isObj(x.options)) p.add('options', 'expected an object');
  else {
    try {
      options = resolveOptions(x.options as unknown as SamplerOptions);
    } catch (e) {
      p.add('options', (e as Error).message);
    }
  }
  if (!isInt(x.vocabSize) || x.vocabSize < 1) p.add('vocabSize', 'expected an integer ≥ 1');
  const vocab = isInt(x.vocabSize) ? x.vocabSize : 0;
  if (!isInt(x.maskId) || x.maskId < 0 || x.maskId >= vocab)
    p.add('maskId', `expected a token id in [0, ${vocab})`);
  const n = Array.isArray(x.initial) ? x.initial.length : 0;
  if (!isInt(x.promptLength) || x.promptLength < 0 || x.promptLength > n) {
    p.add('promptLength', `expected an integer in [0, ${n}]`);
  }
  const initial = tokenArray(p, x.initial, 'initial', n, vocab);
  const pinned = boolArray(p, x.pinned, 'pinned', n);
  const final = tokenArray(p, x.final, 'final', n, vocab);
  if (!Array.isArray(x.records)) p.add('records', 'expected an array');
  const vocabulary = parseTraceVocabulary(x.vocabulary);
  p.list.push(...vocabulary.problems);
  if (p.list.length > 0 || !options || !initial || !pinned || !final || !Array.isArray(x.records)) {
    return { ok: false, errors: p.list };
  }
  const maskId = x.maskId as number;
  const promptLength = x.promptLength as number;
  for (let i = 0; i < n; i++) {
    if (i < promptLength && !pinned[i]) p.add(`pinned[${i}]`, 'prompt positions must be pinned');
    if (pinned[i] && initial[i] === maskId)
      p.add(`initial[${i}]`, 'a pinned position cannot hold the mask id');
    if (!pinned[i] && initial[i] !== maskId)
      p.add(`initial[${i}]`, 'an unpinned position must start masked');
  }
  let lineage: TraceLineage | null = null;
  if (x.lineage !== undefined) {
    const context = { length: n, vocabSize: vocab, maskId, promptLength, pinned };
    lineage = parseLineage(x.lineage, { ...context, records: x.records.length }, (at, m) =>
      p.add(at, m),
    );
  }
  const records: TraceRecord[] = [];
  let previous = initial;
  let pinnedNow = pinned;
  for (let k = 0; k < x.records.length && p.list.length < MAX_ERRORS; k++) {
    const path = `records[${k}]`;
    const r = parseRecord(p, x.records[k], path, k, n, vocab, options.traceTopK);
    if (!r) break;
    // Words pinned at a branch point are pinned from that call on.
    const pinsNow = lineage?.pins?.filter((pin) => pin.fromCall === k) ?? [];
    if (pinsNow.length > 0) {
      previous = previous.slice();
      pinnedNow = pinnedNow.slice();
      for (const pin of pinsNow) {
        previous[pin.position] = pin.token;
        pinnedNow[pin.position] = true;
      }
    }
    checkRecordConsistency(p, r, path, previous, pinnedNow, maskId);
    records.push(r);
    previous = r.after;
  }
  if (p.list.length === 0 && final.some((tok, i) => tok !== previous[i])) {
    p.add('final', 'differs from the last record’s sequence');
  }
  if (p.list.length > 0) {
    const shown = p.list.slice(0, MAX_ERRORS);
    if (p.list.length > MAX_ERRORS) shown.push(`… and ${p.list.length - MAX_ERRORS} more`);
    return { ok: false, errors: shown };
  }
  return {
    ok: true,
    trace: {
      schema: TRACE_SCHEMA,
      options,
      vocabSize: vocab,
      maskId,
      promptLength,
      initial,
      pinned,
      records,
      final,
      ...(vocabulary.value ? { vocabulary: vocabulary.value } : {}),
      ...(lineage ? { lineage } : {}),
    },
  };
}

/**
 * Trace records (Contract 2): what one model call saw and did, position by position. Records are
 * plain objects of plain arrays so a trace can go to JSON as it is and come back through
 * parseTrace. The only value JSON cannot carry is a −∞ confidence (LLaDA's EOS rule); it is
 * written as null and read back as −∞.
 *
 * Two fields came with the block-causal and editing samplers: `inputLength` (the prefix the model
 * saw) and `edited` (with the status of the same name). Traces written before them import with
 * inputLength = the window and edited = 0, which is what they were.
 */
import type { ResolvedSamplerOptions } from './options';
import type { TopCandidate } from './predict';
import type { TraceVocabulary } from './traceVocabulary';
import type { TraceLineage } from './traceLineage';

export const TRACE_SCHEMA = 'unmask.trace/1';

/**
 * - pinned: fixed by the user (prompt or infill), never changes
 * - committed: masked before this call, holds its prediction after it
 * - kept: committed in an earlier call and unchanged
 * - edited: committed in an earlier call and rewritten with another token by this call
 *   (LLaDA2.1); `before` holds what it was, `after` what it became
 * - remasked: a committed token sent back to [MASK] (ReMDM), or a masked position whose guess
 *   was made and thrown away (the article's "remask the rest", DUS's low-confidence remasking)
 * - masked: masked before and after
 */
export type PositionStatus = 'pinned' | 'committed' | 'kept' | 'edited' | 'remasked' | 'masked';

export const POSITION_STATUSES: readonly PositionStatus[] = [
  'pinned',
  'committed',
  'kept',
  'edited',
  'remasked',
  'masked',
];

export interface TraceRecord {
  /** 0-based index of the model call. */
  call: number;
  /** Semi-autoregressive block of this call (0 without blocks). */
  block: number;
  /** Calls made in this block before this one. */
  stepInBlock: number;
  /** The t given to the denoiser (float32 value), or null if none was given. */
  t: number | null;
  /**
   * Positions the model was given: before[0 : inputLength]. The whole window except for the
   * block-causal samplers (LLaDA2.0, 2.1), which show the model only the prefix up to the end of
   * the current block. Positions from inputLength on have no prediction in this call.
   */
  inputLength: number;
  /** Positions committed by this call. */
  committed: number;
  /** Positions shown as remasked in this call. */
  remasked: number;
  /** Committed tokens rewritten by this call. */
  edited: number;
  /** Whole sequence before and after the call (the model saw `before`, up to inputLength). */
  before: number[];
  after: number[];
  /**
   * The model's prediction at every position it saw: argmax, or the sampled token (positions it
   * did not see carry their token).
   */
  prediction: number[];
  /**
   * Confidence of that prediction under the strategy's rule (higher = surer; may be −∞; 0 where
   * the model did not see the position).
   */
  confidence: number[];
  /** Whether the position could have been committed in this call. */
  candidate: boolean[];
  status: PositionStatus[];
  /** Most probable tokens under the model's softmax, best first ([] where not seen). */
  topK: TopCandidate[][];
}

export interface SamplerTrace {
  schema: typeof TRACE_SCHEMA;
  options: ResolvedSamplerOptions;
  vocabSize: number;
  maskId: number;
  promptLength: number;
  /** The starting sequence (pinned tokens, mask elsewhere). */
  initial: number[];
  pinned: boolean[];
  records: TraceRecord[];
  final: number[];
  /** The model whose vocabulary the ids are in (traceVocabulary.ts); absent in older traces. */
  vocabulary?: TraceVocabulary;
  /** Its place in a tree of branched runs (traceLineage.ts); absent for a run on its own. */
  lineage?: TraceLineage;
}

/** The exported JSON form: as SamplerTrace, with −∞ confidences as null. */
export type ExportedTraceRecord = Omit<TraceRecord, 'confidence'> & {
  confidence: (number | null)[];
};
export type ExportedTrace = Omit<SamplerTrace, 'records'> & { records: ExportedTraceRecord[] };

export function exportTrace(trace: SamplerTrace): ExportedTrace {
  return {
    ...trace,
    records: trace.records.map((r) => ({
      ...r,
      confidence: r.confidence.map((c) => (Number.isFinite(c) ? c : null)),
    })),
  };
}

export function serializeTrace(trace: SamplerTrace, indent?: number): string {
  return JSON.stringify(exportTrace(trace), null, indent);
}

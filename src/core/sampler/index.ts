/** The sampler's public API (Contract 2). */
export {
  runSampler,
  runSamplerToEnd,
  traceFromLogits,
  callLimit,
  type LogitsModel,
} from './driver';
export {
  STRATEGY_NAMES,
  resolveOptions,
  usesBlocks,
  type MaskTokenPolicy,
  type RemaskSchedule,
  type ResolvedSamplerOptions,
  type SamplerOptions,
  type StrategyName,
  type TimeInput,
} from './options';
export { parseTrace, type ParseTraceResult } from './parseTrace';
export type { TopCandidate } from './predict';
export type { Logits } from './softmax';
export { createInitialState, type SamplerInit, type SamplerState } from './state';
export { step, timeForCall, type StepResult } from './step';
export {
  POSITION_STATUSES,
  TRACE_SCHEMA,
  exportTrace,
  serializeTrace,
  type ExportedTrace,
  type ExportedTraceRecord,
  type PositionStatus,
  type SamplerTrace,
  type TraceRecord,
} from './trace';
export {
  checkTraceVocabulary,
  traceVocabularyOf,
  vocabularyHash,
  type TraceVocabulary,
  type VocabularyVerdict,
} from './traceVocabulary';

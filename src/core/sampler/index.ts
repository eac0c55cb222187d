/** The sampler's public API (Contract 2). */
export {
  runSampler,
  runSamplerToEnd,
  traceFromLogits,
  callLimit,
  modelInput,
  type LogitsModel,
} from './driver';
export {
  STRATEGY_NAMES,
  blockAlignment,
  ignoresSteps,
  resolveOptions,
  stepsSplitIntoBlocks,
  usesBlocks,
  type BlockAlignment,
  type DusRemasking,
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
export {
  answerEmergence,
  type EmergenceInput,
  type EmergenceMap,
  type PositionEmergence,
} from './answerEmergence';
export { createInitialState } from './initialState';
export {
  decisionsOnOneCall,
  ONE_CALL_STRATEGIES,
  type OneCallCanvas,
  type OneCallDecision,
  type OneCallKnobs,
} from './oneCallDecisions';
export { dusCallCount } from './strategies/dusDilated';
export type { SamplerInit, SamplerState } from './state';
export { inputLengthForCall, step, timeForCall, type StepResult } from './step';
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

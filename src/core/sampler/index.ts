/** The sampler's public API (Contract 2). */
export {
  runSampler,
  runSamplerFrom,
  runSamplerToEnd,
  recordsFromLogits,
  traceFromLogits,
  callLimit,
  modelInput,
  type LogitsModel,
} from './driver';
export {
  STRATEGY_NAMES,
  MANUAL_STRATEGY_NAMES,
  isManualStrategy,
  blockAlignment,
  commitsEachPositionOnce,
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
  type AutomaticStrategyName,
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
export { inputLengthForCall, predictionsForCall, step, timeForCall, type StepResult } from './step';
export type { Predictions } from './predict';
export type { ExternalChoice } from './strategies/strategy';
export { choiceFromRecord } from './strategies/human';
export {
  LogitsCache,
  logitsKey,
  withLogitsCache,
  type CacheMode,
  type CachedModel,
} from './logitsCache';
export {
  branchLineage,
  branchStart,
  branchStartOf,
  branchTrace,
  canvasAt,
  type BranchSource,
  type BranchStart,
} from './branch';
export {
  branchMode,
  optionsOfCall,
  parseLineage,
  type BranchMode,
  type BranchPin,
  type LineagePin,
  type OptionsSegment,
  type TraceLineage,
  type TraceParent,
} from './traceLineage';
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
export { checkTraceVocabulary, traceVocabularyOf, type TraceVocabulary } from './traceVocabulary';

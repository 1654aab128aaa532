/** The deterministic state machine: apply transactions to plain-data state. */
export {
  applyTx,
  EVENT_TYPES,
  MAX_EVENT_TIME_AHEAD_MS,
  signerProblem,
  type ApplyContext,
  type SignerProblem,
  type ApplyOutcome,
} from './apply.js';
export {
  BlockOverlay,
  changesRoot,
  computeStateRoot,
  stateChangeHash,
  stateRootFrom,
  executeTxs,
  withStateRoot,
  isRecordedRefusal,
  MAX_BLOCK_REFUSALS,
  netChanges,
  refusalsProblem,
  refusedShapeProblem,
  type AppliedTx,
  type BlockExecution,
  type ExecuteOptions,
  type RejectedTx,
} from './block.js';
export {
  authoritiesAt,
  equivocationProblem,
  evidenceKey,
  evidencePayload,
  isEquivocation,
} from './evidence.js';
export { EMPTY_EVENT_CHAIN, eventChainOf, extendEventChain } from './history.js';
export { compareDecimal, subtractDecimal } from './decimal.js';
export { genesisChanges, InMemoryState } from './memory.js';
export { MAX_PACKING_DEPTH } from './rules/custody.js';
export { voteMajority } from './rules/registry.js';
export {
  affectedBy,
  MAX_RECALL_WALK,
  recallReasons,
  type AffectedThing,
  type AffectLink,
  type AffectStep,
  type ProvenanceGraph,
  type RecallImpact,
  type RecallReason,
  type RecallReasons,
} from './recall-graph.js';
export { isCoveredBy, statusOf } from './status.js';
export * from './types.js';

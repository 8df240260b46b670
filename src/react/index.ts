/**
 * `codex-local-component/react`: hooks over the app's host wrappers (see docs/react.md).
 * Hooks talk only to Convex; they take the app's function references and pass the app's
 * own arguments (e.g. `actor`) through.
 */
export { useCodexMessages, useCodexStreamingMessages } from "./useCodexMessages.js";
export type { CodexMessagesArgs, CodexMessagesResult } from "./useCodexMessages.js";
export { useCodexReasoning, useCodexStreamingReasoning } from "./useCodexReasoning.js";
export type { CodexReasoningResult, CodexReasoningStream } from "./useCodexReasoning.js";
export { mergeReasoning } from "./mergeReasoning.js";
export type { CodexReasoning } from "./mergeReasoning.js";
export { useCodexThreads } from "./useCodexThreads.js";
export type { CodexThreadsResult } from "./useCodexThreads.js";
export { useCodexThreadState } from "./useCodexThreadState.js";
export type { CodexThreadState } from "./useCodexThreadState.js";
export { useCodexTurn } from "./useCodexTurn.js";
export type { CodexTurn } from "./useCodexTurn.js";
export { useCodexApprovals } from "./useCodexApprovals.js";
export type { CodexApprovals } from "./useCodexApprovals.js";
export { useCodexComposer } from "./useCodexComposer.js";
export type { CodexComposer, CodexComposerOptions, CodexFailedSend, CodexSendArgs } from "./useCodexComposer.js";
export { useCodexInterruptTurn } from "./useCodexInterruptTurn.js";
export { useCodexAutoResume } from "./useCodexAutoResume.js";
export type { CodexAutoResume, CodexAutoResumeOptions } from "./useCodexAutoResume.js";
export { optimisticallySendCodexMessage } from "./optimisticallySendCodexMessage.js";
export type { OptimisticSendArgs, OptimisticSendOptions } from "./optimisticallySendCodexMessage.js";
export { useCodexConversation } from "./useCodexConversation.js";
export type { CodexConversation, CodexConversationApi, CodexConversationOptions, CodexHistoryStatus } from "./useCodexConversation.js";
export { connectionStatus, useCodexConnection } from "./useCodexConnection.js";
export type { CodexConnection, CodexConnectionOptions, CodexConnectionStatus } from "./useCodexConnection.js";
export { liveHosts, useCodexHostStatus } from "./useCodexHostStatus.js";
export type { CodexHostSession, CodexHostStatus } from "./useCodexHostStatus.js";
export { contextLeftPercent, useCodexTokenUsage } from "./useCodexTokenUsage.js";
export type { CodexTokenUsage } from "./useCodexTokenUsage.js";
export { useCodexPlan } from "./useCodexPlan.js";
export type { CodexPlan } from "./useCodexPlan.js";
export { useCodexRateLimits } from "./useCodexRateLimits.js";
export type { CodexRateLimit } from "./useCodexRateLimits.js";
export { codexOptimisticPresets, useCodexDeletionStatus, useCodexOptimisticMutation } from "./deletion.js";
export { syncProgressOf, useCodexSyncProgress } from "./useCodexSyncProgress.js";
export type { CodexSyncProgress, CodexSyncState } from "./useCodexSyncProgress.js";
export { readQuestions, useCodexUserInput, userInputResponse } from "./useCodexUserInput.js";
export type {
  CodexQuestion,
  CodexUserInput,
  CodexUserInputRequest,
  PendingServerRequestsQuery,
  ResolveServerRequestMutation,
  ServerRequestRow,
} from "./useCodexUserInput.js";
export { commandStatusWord, displayCommand, formatDuration, formatElapsed } from "./conversation/commandText.js";

export {
  commitLines,
  describeAction,
  initialConversationState,
  isExploring,
  itemKey,
  nextInputToSend,
  planStepStatus,
  reduceConversation,
} from "./conversation/reduceConversation.js";
export type { ActiveExecTitle, ConversationState, ExecCall, FailedInput, TranscriptCell } from "./conversation/reduceConversation.js";
export type { ConversationEvent, PatchChange, PlanStep, PlanStepStatus, ToolDetail } from "./conversation/events.js";
export { eventsFromSnapshot, initialEmitCursor, planSteps } from "./conversation/eventsFromSnapshot.js";
export type { ConversationSnapshot, DroppedRecord, EmitCursor } from "./conversation/eventsFromSnapshot.js";

export { mergeMessages, messageKey } from "./mergeMessages.js";
export type { CodexMessage, MergeInput } from "./mergeMessages.js";
export { applyDeltas, cursorsToRequest, emptyStreamSync, syncStreamList } from "./streamSync.js";
export type { CodexStream, StreamSyncState } from "./streamSync.js";
export { extractBoldHeader } from "./reasoningHeader.js";
export { readThreadState } from "./threadState.js";
export type { ThreadStateView, TurnSummary } from "./threadState.js";
export { newIdempotencyKey } from "./idempotencyKey.js";
export type * from "./references.js";
export type * from "./types.js";

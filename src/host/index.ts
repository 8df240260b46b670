/**
 * `codex-local-component/host`: the runtime that runs codex on this machine and keeps a
 * Convex backend in step with it — ingest outbox, command queue, lifecycle, conversation
 * controls — plus the persistence port and its Convex adapter.
 */
export { createCodexHostRuntime } from "./runtime.js";
export type {
  CodexHostRuntime,
  CodexHostRuntimeOptions,
  OpenThreadArgs,
  RuntimeMode,
  ThreadSettings,
  ThreadSummary,
  ThreadDetails,
  ImportOptions,
  ImportResult,
} from "./runtime.js";
export type { LifecycleListener, LifecyclePhase, LifecycleSource, LifecycleState } from "./lifecycle.js";
export { IngestOutbox, classifySendFailure } from "./outbox.js";
// The outbox's defaults (`maxEvents`, `maxBytes`), how it measures, and the record it sends for an event refused for good.
export { INGEST_MAX_BATCH_BYTES, INGEST_MAX_EVENTS, eventBytes, eventDroppedRecord } from "../contract/limits.js";
export type { IngestOutboxOptions, OutboxBatch, SentBatchInfo } from "./outbox.js";
export type { CodexPersistence, PendingCommand } from "./persistence/port.js";
export type { ConvexCaller } from "./persistence/convexCaller.js";
export { refreshingHttpCaller, tokenTimes, type RefreshingCallerOptions } from "./httpAuth.js";
export { createConvexPersistence, hostFunctionReferences } from "./persistence/convexPersistence.js";
export type { ConvexPersistenceOptions, HostFunctionReferences } from "./persistence/convexPersistence.js";
export { toCodexInput } from "./turnInput.js";

// The codex protocol types of the runtime's settings and results.
export type { AskForApproval } from "../protocol/generated/v2/AskForApproval.js";
export type { SandboxMode } from "../protocol/generated/v2/SandboxMode.js";
export type { ThreadReadResponse } from "../protocol/generated/v2/ThreadReadResponse.js";
export type { ThreadRevertResponse } from "../protocol/generated/v2/ThreadRevertResponse.js";
export type { UserInput } from "../protocol/generated/v2/UserInput.js";

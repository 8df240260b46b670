/**
 * `codex-local-component/client`: what an app's Convex functions import to talk to the
 * mounted component, plus the validators and error guard to type and handle the results.
 */
export * from "./auth.js";
export * from "./commands.js";
export * from "./control.js";
export * from "./data.js";
export * from "./lifecycle.js";
export * from "./hostApi/index.js";
export type { RunActionCtx, RunMutationCtx, RunQueryCtx } from "./ctx.js";
export * from "./validators.js";
export * from "../component/validators.js";
export { ErrorCode, commandErrorCode, isCodexLocalError, type CodexLocalErrorData } from "../contract/errors.js";
export { SESSION_STALE_AFTER_MAX_MS, SESSION_STALE_AFTER_MIN_MS, SESSION_STALE_AFTER_MS } from "../component/lib/sessionLifecycle.js";
// The limits the docs name (sizes in UTF-8 bytes): what a caller sizes its calls and pages by.
export {
  IMPORT_COLLECT_IDLE_MS,
  INGEST_MAX_BATCH_BYTES,
  INGEST_MAX_EVENTS,
  PAGE_MAX_ITEMS,
  TRUNCATION_MARKER,
  eventDroppedRecord,
} from "../contract/limits.js";
export type { ComponentApi } from "../component/_generated/component.js";

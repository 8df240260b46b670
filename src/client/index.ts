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
export { ErrorCode, isCodexLocalError, type CodexLocalErrorData } from "../contract/errors.js";
export { SESSION_STALE_AFTER_MS } from "../component/lib/sessionLifecycle.js";
export type { ComponentApi } from "../component/_generated/component.js";

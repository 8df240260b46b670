/**
 * Typed helpers for what the local bridge calls: its session lifecycle and the command
 * queue. The bridge opens a session, heartbeats it more often than `staleAfterMs`,
 * subscribes to `listPendingCommands({ sessionId })`, claims each command, runs it, then
 * completes it (`error` set = failed). What each kind asks of codex:
 *
 * | kind                   | fields used               | codex request                      | complete with         |
 * |------------------------|---------------------------|------------------------------------|-----------------------|
 * | `startTurn`            | threadId, input           | `turn/start`                       | the new codex turnId  |
 * | `steerTurn`            | threadId, turnId, input   | `turn/steer` (expectedTurnId)      | nothing               |
 * | `interruptTurn`        | threadId, turnId          | `turn/interrupt`                   | nothing               |
 * | `respondServerRequest` | requestId, responseJson   | the JSON-RPC response to requestId | nothing               |
 *
 * A claimed command is never handed out again: if the session stops heartbeating, the
 * sweep marks it failed instead of re-running it.
 */
import type { FunctionArgs } from "convex/server";
import type { ComponentApi } from "../component/_generated/component.js";
import type { RunMutationCtx, RunQueryCtx } from "./ctx.js";

type Api = ComponentApi;

export const openSession = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["sessions"]["open"]>) =>
  ctx.runMutation(component.sessions.open, args);

/** Throws E_SESSION_NOT_ACTIVE once the session went stale: open a session again. */
export const heartbeatSession = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["sessions"]["heartbeat"]>) =>
  ctx.runMutation(component.sessions.heartbeat, args);

/** Ends the session; whatever it still held fails visibly. */
export const closeSession = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["sessions"]["close"]>) =>
  ctx.runMutation(component.sessions.close, args);

/** Queued commands, oldest first; pass `sessionId` to leave out answers meant for other sessions. */
export const listPendingCommands = (
  ctx: RunQueryCtx,
  component: Api,
  args: FunctionArgs<Api["commands"]["listPending"]>,
) => ctx.runQuery(component.commands.listPending, args);

export const getCommand = (ctx: RunQueryCtx, component: Api, args: FunctionArgs<Api["commands"]["get"]>) =>
  ctx.runQuery(component.commands.get, args);

/** Only the first claimer gets the command; others get E_COMMAND_NOT_CLAIMABLE. */
export const claimCommand = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["commands"]["claim"]>) =>
  ctx.runMutation(component.commands.claim, args);

/** Reports the outcome (`error` = failed); a started turn must pass codex's `turnId`. */
export const completeCommand = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["commands"]["complete"]>) =>
  ctx.runMutation(component.commands.complete, args);

/** Withdraws a command nobody claimed yet. */
export const cancelCommand = (ctx: RunMutationCtx, component: Api, args: FunctionArgs<Api["commands"]["cancel"]>) =>
  ctx.runMutation(component.commands.cancel, args);

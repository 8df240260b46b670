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
import { mutationHelper, queryHelper } from "./ctx.js";

export const openSession = mutationHelper((c) => c.sessions.open);

/** Throws E_SESSION_NOT_ACTIVE once the session went stale: open a session again. */
export const heartbeatSession = mutationHelper((c) => c.sessions.heartbeat);

/** Ends the session; whatever it still held fails visibly. */
export const closeSession = mutationHelper((c) => c.sessions.close);

/** The owner's active bridge sessions: whether a host runtime is online (compare `staleAt` with now). */
export const listActiveSessions = queryHelper((c) => c.sessions.listActive);

/** Queued commands, oldest first; pass `sessionId` to leave out answers meant for other sessions. */
export const listPendingCommands = queryHelper((c) => c.commands.listPending);

export const getCommand = queryHelper((c) => c.commands.get);

/** Only the first claimer gets the command; others get E_COMMAND_NOT_CLAIMABLE. */
export const claimCommand = mutationHelper((c) => c.commands.claim);

/** Reports the outcome (`error` = failed); a started turn must pass codex's `turnId`. */
export const completeCommand = mutationHelper((c) => c.commands.complete);

/** The bridge reports a request of no thread its codex waits on, so devices can answer it. */
export const announceServerRequest = mutationHelper((c) => c.serverRequests.announce);

/** The bridge settled such a request itself (the runtime answered it, or it timed out). */
export const settleServerRequest = mutationHelper((c) => c.serverRequests.settle);

/** Withdraws a command nobody claimed yet. */
export const cancelCommand = mutationHelper((c) => c.commands.cancel);

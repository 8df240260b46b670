/**
 * Typed helpers for the device side of the control plane: threads, turns, approvals and
 * server requests. Each one calls the mounted component, e.g.
 *
 *     startTurn(ctx, components.codexLocal, { actor, threadId, idempotencyKey, input })
 *
 * `actor` should come from `actorFromAuth(ctx)`, never from client-supplied arguments.
 */
import { mutationHelper, queryHelper } from "./ctx.js";

/** Creates the thread for this owner if it does not exist yet (idempotent). */
export const createThread = mutationHelper((c) => c.threads.create);

/** Get-or-create by codex `threadId`; returns the thread row. */
export const resolveThread = mutationHelper((c) => c.threads.resolve);

/** Marks the thread resumed by a device and returns its state. */
export const resumeThread = mutationHelper((c) => c.threads.resume);

/** The thread row or `null`; never throws for a missing thread. */
export const getThread = queryHelper((c) => c.threads.get);

/** Thread row, active turn, recent turns, pending approval count, open commands. Throws E_THREAD_NOT_FOUND. */
export const getThreadState = queryHelper((c) => c.threads.getState);

/** The owner's threads, most recently updated first. */
export const listThreads = queryHelper((c) => c.threads.list);

/** Names the thread here at once and in codex through a host (`renameThread` command). */
export const setThreadName = mutationHelper((c) => c.threads.setName);

/** Hides the thread from `listThreads` at once; a host archives it in codex too (undone if codex refuses). */
export const archiveThread = mutationHelper((c) => c.threads.archive);

export const unarchiveThread = mutationHelper((c) => c.threads.unarchive);

/** A host forks the thread in codex (through `lastTurnId`); the command's `createdThreadId` is the fork, linked to its parent. */
export const requestForkThread = mutationHelper((c) => c.controls.requestFork);

/** A host drops `beforeTurnId` and every later turn from codex's history; they leave the backend after. */
export const requestRollbackThread = mutationHelper((c) => c.controls.requestRollback);

/** A host compacts the thread's context in codex: a turn with a compaction marker. */
export const requestCompactThread = mutationHelper((c) => c.controls.requestCompact);

/** Asks a host for a new codex thread: a `startThread` command; its `createdThreadId` names the thread once started. */
export const requestNewThread = mutationHelper((c) => c.threads.requestNew);

/**
 * Queues a turn for the bridge; the same `idempotencyKey` returns the same command, in
 * whatever state it reached (a failed one stays failed: retry with a new key).
 */
export const startTurn = mutationHelper((c) => c.turns.start);

/** Queues more input for the running turn (codex `turn/steer`); idempotent by key. */
export const steerTurn = mutationHelper((c) => c.turns.steer);

/** Queues an interrupt of the active turn (or `turnId`); a pending interrupt is reused. */
export const interruptTurn = mutationHelper((c) => c.turns.interrupt);

export const getTurn = queryHelper((c) => c.turns.get);

export const listTurns = queryHelper((c) => c.turns.listByThread);

export const listPendingApprovals = queryHelper((c) => c.approvals.listPending);

/** Approvals of a thread (or one turn), answered and pending, newest first, paginated. */
export const listApprovals = queryHelper((c) => c.approvals.listByThread);

/** First answer wins; later ones throw E_APPROVAL_ALREADY_DECIDED. */
export const respondToApproval = mutationHelper((c) => c.approvals.respond);

export const listPendingServerRequests = queryHelper((c) => c.serverRequests.listPending);

/**
 * Answers any codex server request with its raw response JSON; first answer wins. Without
 * `threadId` it answers a request of no thread (see `listPendingGlobalServerRequests`).
 */
export const resolvePendingServerRequest = mutationHelper((c) => c.serverRequests.resolve);

/** Pending requests codex sent that belong to no thread (an account token refresh, …), oldest first. */
export const listPendingGlobalServerRequests = queryHelper((c) => c.serverRequests.listPendingGlobal);

/**
 * Typed helpers for a user's data over time: deleting it (a thread, a turn, everything of one
 * owner; now, or as a scheduled job in pages), importing a thread that exists only in a local
 * codex, and the readings codex reports (plan, token usage, rate limits). Call them from your
 * own Convex functions as `(ctx, components.codexLocal, args)`, with the actor from auth.
 */
import { mutationHelper, queryHelper } from "./ctx.js";

/** Deletes a thread and every row of it now; E_DELETION_TOO_LARGE (nothing deleted) when it does not fit one transaction. */
export const deleteThread = mutationHelper((c) => c.deletion.deleteThread);
/** A deletion job for the thread, starting `delayMs` from now: pages within Convex's limits until it is gone. */
export const scheduleDeleteThread = mutationHelper((c) => c.deletion.scheduleDeleteThread);
/** Deletes a finished turn and its rows now (E_TURN_IN_PROGRESS for a running one). */
export const deleteTurn = mutationHelper((c) => c.deletion.deleteTurn);
export const scheduleDeleteTurn = mutationHelper((c) => c.deletion.scheduleDeleteTurn);
/** Deletes everything the actor owns now (small data only; else schedule it). */
export const purgeActorData = mutationHelper((c) => c.deletion.purgeActorData);
export const schedulePurgeActorData = mutationHelper((c) => c.deletion.schedulePurgeActorData);
/** Withdraws a deletion that has not started (E_DELETION_NOT_CANCELLABLE once it runs). */
export const cancelDeletion = mutationHelper((c) => c.deletion.cancel);
/** Runs a scheduled deletion now. */
export const forceRunDeletion = mutationHelper((c) => c.deletion.forceRun);
/** A deletion job with its rows deleted per table, or `null`. */
export const getDeletionStatus = queryHelper((c) => c.deletion.getStatus);
export const listDeletionJobs = queryHelper((c) => c.deletion.list);

/** An import's start (or the same import, still collecting, to resume): the host runtime's first call. */
export const startConversationSyncSource = mutationHelper((c) => c.imports.start);
/** One chunk of what the host read of codex's turns. */
export const appendConversationSyncSourceChunk = mutationHelper((c) => c.imports.appendChunk);
/** Everything was sent: the backend runs, verifies and finishes the import. */
export const sealConversationSyncSource = mutationHelper((c) => c.imports.seal);
export const cancelConversationSyncJob = mutationHelper((c) => c.imports.cancel);
/** One import (status, counts, mismatches), or `null`. */
export const getConversationSyncJob = queryHelper((c) => c.imports.get);
/** The thread's import, or `null`. */
export const getThreadSyncJob = queryHelper((c) => c.imports.getForThread);
export const listConversationSyncJobs = queryHelper((c) => c.imports.list);

/** The thread's current plan (steps, status, explanation) with its turn, or `null`. */
export const getCurrentPlan = queryHelper((c) => c.turns.currentPlan);
/** One turn's token usage (`turn`: what it cost), or `null`. */
export const getTurnTokenUsage = queryHelper((c) => c.tokenUsage.forTurn);
/** Every turn's token usage, most recently reported first, in pages. */
export const listTokenUsage = queryHelper((c) => c.tokenUsage.listByThread);
/** The account's rate limits as codex last reported them (one row per limit). */
export const getRateLimits = queryHelper((c) => c.rateLimits.get);
/** The host runtime records what codex reported (merged: a sparse update keeps what it does not mention). */
export const recordRateLimits = mutationHelper((c) => c.rateLimits.record);

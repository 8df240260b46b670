/**
 * Return shapes of the public functions, in one place so the client can re-publish them
 * (with plain-string ids) for apps to put in their own wrappers' `returns`.
 */
import { paginationResultValidator } from "convex/server";
import { v } from "convex/values";
import { vv } from "../schema.js";
import { vApprovalDecision, vCommandStatus, vDeletionStatus, vTurnPlan, vTurnStatus } from "../validators.js";

export const vThreadState = v.object({
  thread: vv.doc("threads"),
  activeTurn: v.union(vv.doc("turns"), v.null()),
  /** The last few turns, newest first. */
  recentTurns: v.array(vv.doc("turns")),
  /** Capped at 100. */
  pendingApprovalCount: v.number(),
  /** Commands not yet finished (queued or claimed), oldest first. */
  openCommands: v.array(vv.doc("commands")),
});

/** What `turns.start` / `turns.interrupt` hand back: the command standing for the request. */
export const vCommandTicket = v.object({
  commandId: v.id("commands"),
  status: vCommandStatus,
  deduplicated: v.boolean(),
  turnId: v.optional(v.string()),
});

export const vApprovalAnswer = v.object({
  approvalId: v.id("approvals"),
  status: vApprovalDecision,
  commandId: v.id("commands"),
});

export const vSessionInfo = v.object({
  sessionId: v.string(),
  status: v.literal("active"),
  staleAfterMs: v.number(),
});

export const vSessionRetired = v.object({ failedCommands: v.number(), expiredRequests: v.number() });

export const vThreadCreated = v.object({ threadId: v.string(), created: v.boolean() });

export const vServerRequestAnswer = v.object({ commandId: v.id("commands") });

export const vThreadPage = paginationResultValidator(vv.doc("threads"));
export const vTurnPage = paginationResultValidator(vv.doc("turns"));
export const vApprovalPage = paginationResultValidator(vv.doc("approvals"));

/** An immediate deletion: rows removed per table. */
export const vDeletionResult = v.object({ deleted: v.record(v.string(), v.number()) });
/** A scheduled deletion: the job (`deduplicated` when one for the same target was already open). */
export const vDeletionTicket = v.object({
  jobId: v.id("deletion_jobs"),
  status: vDeletionStatus,
  runAt: v.number(),
  deduplicated: v.boolean(),
});
export const vDeletionJobPage = paginationResultValidator(vv.doc("deletion_jobs"));
export const vTokenUsagePage = paginationResultValidator(vv.doc("token_usage"));
export const vImportJobPage = paginationResultValidator(vv.doc("import_jobs"));
/** A thread's current plan and the turn that made it. */
export const vCurrentPlan = v.union(v.object({ turnId: v.string(), turnStatus: vTurnStatus, plan: vTurnPlan }), v.null());

/**
 * Deleting a user's data: a thread, a turn, or everything one owner has (`purgeActorData`),
 * with every row that belongs to it (see `lib/cascade.ts` for what that is, table by table).
 *
 * - Immediate (`deleteThread`, `deleteTurn`, `purgeActorData`): all in this transaction, for
 *   what fits in one page; anything larger is refused with E_DELETION_TOO_LARGE and nothing
 *   is deleted.
 * - Scheduled (`schedule…`, `delayMs` from now): a job that deletes page after page, each page
 *   its own transaction inside Convex's limits, each scheduling the next. It can be cancelled
 *   or forced to run now while it waits; once running it always ends — `completed`, or
 *   `failed` after JOB_MAX_ATTEMPTS failed pages in a row (`lib/jobs.ts`). `getStatus` shows
 *   its rows deleted per table.
 *
 * A deleted thread or turn leaves a tombstone (`lib/tombstones.ts`) so codex, still writing
 * it, cannot bring it back: ingest for a deleted thread is refused (E_THREAD_DELETED, the
 * host stops writing it), events of a deleted turn are rejected (E_TURN_DELETED).
 */
import { paginationOptsValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v } from "convex/values";
import type { Doc } from "./_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "./_generated/server.js";
import { internalMutation, mutation, query } from "./lib/functions.js";
import { ErrorCode, codexError } from "../contract/errors.js";
import { NOTE_MAX_BYTES, truncateUtf8 } from "../contract/limits.js";
import { deletionRefs as refs, runJobPage, scheduleJob } from "./lib/deletionJobs.js";
import { DELETION_PAGE_ROWS, deletePage, pageBudget, type DeletionTarget } from "./lib/deletionPages.js";
import { checkPage, schedulePage, unschedule } from "./lib/jobs.js";
import { ownerAndThread, ownerOf, requireNonEmpty, requireThread, type Owner } from "./lib/owner.js";
import { pageOf } from "./lib/pages.js";
import { vDeletionJobPage, vDeletionResult, vDeletionTicket } from "./lib/returns.js";
import { findTurn } from "./lib/turnRows.js";
import schema, { vv } from "./schema.js";
import { vActor } from "./validators.js";

const vSchedule = { delayMs: v.optional(v.number()), pageRows: v.optional(v.number()) };

// ---- immediate ----

/** The whole target in this transaction, or nothing (E_DELETION_TOO_LARGE). */
async function deleteNow(ctx: MutationCtx, owner: Owner, target: DeletionTarget) {
  const deleted: Record<string, number> = {};
  const done = await deletePage(ctx, owner, target, undefined, pageBudget(DELETION_PAGE_ROWS), deleted, Date.now());
  if (!done) {
    const what = target.kind === "actor" ? "this owner's data" : target.kind === "thread" ? `thread ${target.threadId}` : `this turn`;
    // Throwing rolls back what this transaction deleted so far: nothing is half deleted.
    throw codexError(ErrorCode.deletionTooLarge, `${what} is too large to delete in one transaction; schedule the deletion instead`, {
      maxRows: DELETION_PAGE_ROWS,
    });
  }
  return { deleted };
}

export const deleteThread = mutation({
  args: { actor: vActor, threadId: v.string() },
  returns: vDeletionResult,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    await requireThread(ctx, owner, threadId);
    return await deleteNow(ctx, owner, { kind: "thread", threadId });
  },
});

export const deleteTurn = mutation({
  args: { actor: vActor, threadId: v.string(), turnId: v.string() },
  returns: vDeletionResult,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = await requireDeletableTurn(ctx, owner, threadId, args.turnId);
    return await deleteNow(ctx, owner, { kind: "turn", threadId, turnId });
  },
});

export const purgeActorData = mutation({
  args: { actor: vActor },
  returns: vDeletionResult,
  handler: async (ctx, args) => await deleteNow(ctx, ownerOf(args.actor), { kind: "actor" }),
});

// ---- scheduled ----

export const scheduleDeleteThread = mutation({
  args: { actor: vActor, threadId: v.string(), ...vSchedule },
  returns: vDeletionTicket,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    await requireThread(ctx, owner, threadId);
    return await scheduleJob(ctx, owner, { kind: "thread", threadId }, args);
  },
});

export const scheduleDeleteTurn = mutation({
  args: { actor: vActor, threadId: v.string(), turnId: v.string(), ...vSchedule },
  returns: vDeletionTicket,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = await requireDeletableTurn(ctx, owner, threadId, args.turnId);
    return await scheduleJob(ctx, owner, { kind: "turn", threadId, turnId }, args);
  },
});

export const schedulePurgeActorData = mutation({
  args: { actor: vActor, ...vSchedule },
  returns: vDeletionTicket,
  handler: async (ctx, args) => await scheduleJob(ctx, ownerOf(args.actor), { kind: "actor" }, args),
});

async function requireDeletableTurn(ctx: QueryCtx, owner: Owner, threadId: string, rawTurnId: string) {
  const turnId = requireNonEmpty("turnId", rawTurnId);
  await requireThread(ctx, owner, threadId);
  const turn = await findTurn(ctx, owner, threadId, turnId);
  if (!turn) throw codexError(ErrorCode.turnNotFound, `turn ${turnId} not found`, { threadId, turnId });
  if (turn.status === "inProgress") {
    throw codexError(ErrorCode.turnInProgress, `turn ${turnId} is still running: interrupt it or wait for it to end`, { threadId, turnId });
  }
  return turnId;
}

export const run = internalMutation({
  args: { jobId: v.id("deletion_jobs") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const job = await ctx.db.get("deletion_jobs", args.jobId);
    // A job cancelled, finished or purged meanwhile has nothing left to do.
    if (job && (job.status === "scheduled" || job.status === "running")) await runJobPage(ctx, job);
    return null;
  },
});

/** Did the last page run? Schedules it again (smaller) or ends the job `failed` (see `lib/jobs.ts`). */
export const watchdog = internalMutation({
  args: { jobId: v.id("deletion_jobs") },
  returns: v.null(),
  handler: async (ctx, args) => {
    const job = await ctx.db.get("deletion_jobs", args.jobId);
    if (!job || (job.status !== "scheduled" && job.status !== "running")) return null;
    const verdict = await checkPage(ctx, "deletion_jobs", job, refs);
    if (verdict.kind === "giveUp") {
      const now = Date.now();
      await ctx.db.patch("deletion_jobs", job._id, { status: "failed", error: truncateUtf8(verdict.reason, NOTE_MAX_BYTES).text, updatedAt: now, finishedAt: now });
      await unschedule(ctx, "deletion_jobs", job);
    }
    return null;
  },
});

// ---- controlling a job ----

async function requireJob(ctx: QueryCtx, owner: Owner, rawJobId: string) {
  const jobId = ctx.db.normalizeId("deletion_jobs", rawJobId);
  const job = jobId ? await ctx.db.get("deletion_jobs", jobId) : null;
  if (!job || job.tenantId !== owner.tenantId || job.userId !== owner.userId) {
    throw codexError(ErrorCode.deletionNotFound, `deletion ${rawJobId} not found`, { jobId: rawJobId });
  }
  return job;
}

function requireWaiting(job: Doc<"deletion_jobs">, action: string) {
  if (job.status !== "scheduled") {
    throw codexError(ErrorCode.deletionNotCancellable, `deletion ${job._id} is ${job.status}: only a scheduled one can be ${action}`, {
      jobId: job._id,
      status: job.status,
    });
  }
}

/** Withdraws a deletion that has not started: nothing was deleted. Cancelling it again returns it as it is. */
export const cancel = mutation({
  args: { actor: vActor, jobId: v.string() },
  returns: vv.doc("deletion_jobs"),
  handler: async (ctx, args) => {
    const job = await requireJob(ctx, ownerOf(args.actor), args.jobId);
    if (job.status === "cancelled") return job;
    requireWaiting(job, "cancelled");
    const now = Date.now();
    await ctx.db.patch("deletion_jobs", job._id, { status: "cancelled", updatedAt: now, finishedAt: now });
    await unschedule(ctx, "deletion_jobs", job);
    return (await ctx.db.get("deletion_jobs", job._id))!;
  },
});

/** Runs a scheduled deletion now instead of at `runAt`. A running or finished one is returned as it is. */
export const forceRun = mutation({
  args: { actor: vActor, jobId: v.string() },
  returns: vv.doc("deletion_jobs"),
  handler: async (ctx, args) => {
    const job = await requireJob(ctx, ownerOf(args.actor), args.jobId);
    if (job.status !== "scheduled") {
      if (job.status === "cancelled") requireWaiting(job, "forced");
      return job;
    }
    const now = Date.now();
    await ctx.db.patch("deletion_jobs", job._id, { runAt: now, updatedAt: now });
    await schedulePage(ctx, "deletion_jobs", { ...job, runAt: now }, refs, now);
    return (await ctx.db.get("deletion_jobs", job._id))!;
  },
});

/** The job, with rows deleted per table; `null` for another owner's or an unknown id. */
export const getStatus = query({
  args: { actor: vActor, jobId: v.string() },
  returns: v.union(vv.doc("deletion_jobs"), v.null()),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const jobId = ctx.db.normalizeId("deletion_jobs", args.jobId);
    const job = jobId ? await ctx.db.get("deletion_jobs", jobId) : null;
    return job && job.tenantId === owner.tenantId && job.userId === owner.userId ? job : null;
  },
});

/** The owner's deletion jobs, newest first. */
export const list = query({
  args: { actor: vActor, paginationOpts: paginationOptsValidator },
  returns: vDeletionJobPage,
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const jobs = paginator(ctx.db, schema)
      .query("deletion_jobs")
      .withIndex("by_owner_created", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId))
      .order("desc");
    return await pageOf(jobs, args.paginationOpts);
  },
});

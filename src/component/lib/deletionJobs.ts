/**
 * A deletion job's lifecycle (see `deletion.ts`): scheduling one for a target (the same open
 * job when one exists), and running one page of it, which schedules the next or ends it.
 */
import { internal } from "../_generated/api.js";
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import type { DeletionKind } from "../validators.js";
import { DELETION_PAGE_ROWS, deletePage, pageBudget, type DeletionTarget } from "./deletionPages.js";
import { pageShare, schedulePage, unschedule, type JobRefs } from "./jobs.js";
import type { Owner } from "./owner.js";

/** The job's page and watchdog functions (`deletion.ts`). */
export const deletionRefs: JobRefs<"deletion_jobs"> = { run: internal.deletion.run, watchdog: internal.deletion.watchdog };

const targetFields = (target: DeletionTarget) => ({
  kind: target.kind,
  threadId: "threadId" in target ? target.threadId : undefined,
  turnId: target.kind === "turn" ? target.turnId : undefined,
});

/** An open job for the same target, if any: scheduling twice gives the same job. */
async function openJobFor(ctx: QueryCtx, owner: Owner, target: DeletionTarget) {
  const { kind, threadId, turnId } = targetFields(target);
  for (const status of ["scheduled", "running"] as const) {
    const job = await ctx.db
      .query("deletion_jobs")
      .withIndex("by_owner_target_status", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("kind", kind).eq("threadId", threadId).eq("turnId", turnId).eq("status", status),
      )
      .first();
    if (job) return job;
  }
  return null;
}

/** A job for `target`, its first page at `runAt` (now + `delayMs`). */
export async function scheduleJob(
  ctx: MutationCtx,
  owner: Owner,
  target: DeletionTarget,
  options: { delayMs?: number; pageRows?: number },
): Promise<{ jobId: Id<"deletion_jobs">; status: Doc<"deletion_jobs">["status"]; runAt: number; deduplicated: boolean }> {
  const existing = target.kind === "rollback" ? null : await openJobFor(ctx, owner, target);
  if (existing) return { jobId: existing._id, status: existing.status, runAt: existing.runAt, deduplicated: true };
  const now = Date.now();
  const runAt = now + (options.delayMs ?? 0);
  const jobId = await ctx.db.insert("deletion_jobs", {
    ...owner,
    ...targetFields(target),
    ...(target.kind === "rollback" ? { afterStartedAt: target.afterStartedAt, untilStartedAt: target.untilStartedAt } : {}),
    status: "scheduled",
    runAt,
    deleted: {},
    pages: 0,
    attempts: 0,
    ...(options.pageRows !== undefined ? { pageRows: options.pageRows } : {}),
    createdAt: now,
    updatedAt: now,
  });
  await schedulePage(ctx, "deletion_jobs", (await ctx.db.get("deletion_jobs", jobId))!, deletionRefs, runAt);
  return { jobId, status: "scheduled", runAt, deduplicated: false };
}

function targetOf(job: Doc<"deletion_jobs">): DeletionTarget {
  const kind: DeletionKind = job.kind;
  switch (kind) {
    case "thread":
      return { kind, threadId: job.threadId! };
    case "turn":
      return { kind, threadId: job.threadId!, turnId: job.turnId! };
    case "actor":
      return { kind };
    case "rollback":
      return { kind, threadId: job.threadId!, afterStartedAt: job.afterStartedAt, untilStartedAt: job.untilStartedAt! };
  }
}

/** One page of a job (`rows`: its share, by default the job's); schedules the next one unless it is done. */
export async function runJobPage(ctx: MutationCtx, job: Doc<"deletion_jobs">, share?: number): Promise<Doc<"deletion_jobs">> {
  const now = Date.now();
  const owner = { tenantId: job.tenantId, userId: job.userId };
  const deleted = { ...job.deleted };
  const rows = share ?? pageShare(job.pageRows ?? DELETION_PAGE_ROWS, job.attempts);
  const done = await deletePage(ctx, owner, targetOf(job), job._id, pageBudget(rows), deleted, now);
  const progress = {
    status: done ? ("completed" as const) : ("running" as const),
    deleted,
    pages: job.pages + 1,
    attempts: 0,
    // A share that worked after failed pages is kept for the pages after it.
    ...(job.attempts > 0 ? { pageRows: rows } : {}),
    startedAt: job.startedAt ?? now,
    updatedAt: now,
    ...(done ? { finishedAt: now } : {}),
  };
  await ctx.db.patch("deletion_jobs", job._id, progress);
  const next = { ...job, ...progress };
  if (done) await unschedule(ctx, "deletion_jobs", next);
  else await schedulePage(ctx, "deletion_jobs", next, deletionRefs, now);
  return (await ctx.db.get("deletion_jobs", job._id))!;
}


/**
 * Background jobs that work in pages (deletions, imports): each page is one scheduled
 * mutation that schedules the next. A page that fails (a transaction limit, a bug, a crash)
 * rolls back everything it did — including scheduling its successor — so every page also
 * leaves a watchdog behind: a check, scheduled well after the next page is due, that the page
 * ran. When it finds the page failed it schedules it again with half the share of rows (a
 * page too big for one transaction gets smaller until it fits); after JOB_MAX_ATTEMPTS failed
 * pages in a row the job ends `failed`, with the reason. A page that succeeds cancels its
 * watchdog, so a healthy job costs one extra scheduled function per page.
 */
import type { FunctionReference } from "convex/server";
import type { Doc, Id } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";

/** How long after a page was due its watchdog looks whether it ran. */
export const JOB_WATCHDOG_MS = 60_000;
/** Failed pages in a row before the job ends `failed`. */
export const JOB_MAX_ATTEMPTS = 5;

type JobTable = "deletion_jobs" | "import_jobs";
type Job<T extends JobTable> = Doc<T>;
type JobRef<T extends JobTable> = FunctionReference<"mutation", "internal", { jobId: Id<T> }>;
export type JobRefs<T extends JobTable> = { run: JobRef<T>; watchdog: JobRef<T> };

/** Schedules the job's next page at `runAt` (now when in the past) and its watchdog after it. */
export async function schedulePage<T extends JobTable>(ctx: MutationCtx, table: T, job: Job<T>, refs: JobRefs<T>, runAt: number) {
  await cancelPending(ctx, job.scheduledId);
  await cancelPending(ctx, job.watchdogId);
  const now = Date.now();
  const at = Math.max(runAt, now);
  const scheduledId = await ctx.scheduler.runAt(at, refs.run as never, { jobId: job._id } as never);
  const watchdogId = await ctx.scheduler.runAt(at + JOB_WATCHDOG_MS, refs.watchdog as never, { jobId: job._id } as never);
  await ctx.db.patch(table, job._id as never, { scheduledId, watchdogId } as never);
}

/** The job is over (or paused): nothing of it stays scheduled. */
export async function unschedule<T extends JobTable>(ctx: MutationCtx, table: T, job: Job<T>) {
  await cancelPending(ctx, job.scheduledId);
  await cancelPending(ctx, job.watchdogId);
  await ctx.db.patch(table, job._id as never, { scheduledId: undefined, watchdogId: undefined } as never);
}

async function cancelPending(ctx: MutationCtx, id: Id<"_scheduled_functions"> | undefined) {
  if (id === undefined) return;
  const scheduled = await ctx.db.system.get("_scheduled_functions", id);
  // The page running right now is the caller itself: only a future run is cancelled.
  if (scheduled?.state.kind === "pending") await ctx.scheduler.cancel(id);
}

/** What the watchdog found: the page is still to run, it was scheduled again, or the job has to give up. */
export type WatchdogVerdict = { kind: "waiting" } | { kind: "retried"; attempts: number } | { kind: "giveUp"; reason: string };

/**
 * The watchdog's check: the page it guards is still pending or running (look again later),
 * or it did not complete — then it is scheduled again (`attempts` + 1, see `pageShare`), or,
 * after JOB_MAX_ATTEMPTS, the caller ends the job.
 */
export async function checkPage<T extends JobTable>(ctx: MutationCtx, table: T, job: Job<T>, refs: JobRefs<T>): Promise<WatchdogVerdict> {
  const page = job.scheduledId ? await ctx.db.system.get("_scheduled_functions", job.scheduledId) : null;
  const now = Date.now();
  if (page && (page.state.kind === "pending" || page.state.kind === "inProgress")) {
    const watchdogId = await ctx.scheduler.runAt(Math.max(now, page.scheduledTime) + JOB_WATCHDOG_MS, refs.watchdog as never, { jobId: job._id } as never);
    await ctx.db.patch(table, job._id as never, { watchdogId } as never);
    return { kind: "waiting" };
  }
  const attempts = job.attempts + 1;
  const state = page ? page.state.kind : "missing";
  if (attempts >= JOB_MAX_ATTEMPTS) return { kind: "giveUp", reason: `${attempts} pages in a row did not complete (the last one: ${state})` };
  await ctx.db.patch(table, job._id as never, { attempts, updatedAt: now } as never);
  await schedulePage(ctx, table, { ...job, attempts, watchdogId: undefined }, refs, now);
  return { kind: "retried", attempts };
}

/** A page's share after `attempts` failed pages in a row: halved each time, never below one row. */
export function pageShare(rows: number, attempts: number): number {
  return Math.max(1, Math.floor(rows / 2 ** attempts));
}

/**
 * What was deleted stays deleted: a thread's tombstone makes ingest refuse the thread as a
 * whole (E_THREAD_DELETED: the host stops writing it), a turn's makes ingest reject that
 * turn's events one by one (E_TURN_DELETED) — codex still has the turn, and a resume
 * re-sends finished turns from its history (`backfill`). Tombstones hold ids only.
 */
import type { Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ErrorCode, codexError } from "../../contract/errors.js";
import type { Owner } from "./owner.js";

export async function findTombstone(ctx: QueryCtx, owner: Owner, threadId: string, turnId?: string) {
  return await ctx.db
    .query("tombstones")
    .withIndex("by_owner_thread_turn", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId),
    )
    .first();
}

/** Records the deletion once (`turnId` absent: the whole thread). */
export async function bury(ctx: MutationCtx, owner: Owner, threadId: string, turnId: string | undefined, jobId: Id<"deletion_jobs"> | undefined, now: number) {
  if (await findTombstone(ctx, owner, threadId, turnId)) return;
  await ctx.db.insert("tombstones", { ...owner, threadId, ...(turnId === undefined ? {} : { turnId }), ...(jobId ? { jobId } : {}), deletedAt: now });
}

/** Writes for a deleted thread are refused: it does not come back half made. */
export async function refuseDeletedThread(ctx: QueryCtx, owner: Owner, threadId: string) {
  const tombstone = await findTombstone(ctx, owner, threadId);
  if (tombstone) {
    throw codexError(ErrorCode.threadDeleted, `thread ${threadId} was deleted`, { threadId, deletedAt: tombstone.deletedAt });
  }
}

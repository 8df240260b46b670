/**
 * One page of a deletion: the cascade of `cascade.ts` for the job's target, within one
 * transaction's share, with what the target's deletion means beyond its own rows — the
 * tombstones, and the counters of a thread that loses turns (`turnCount`, `messageCount`,
 * `lastTurnId`, `activeTurnId`).
 */
import type { Doc, Id, TableNames } from "../_generated/dataModel.js";
import type { MutationCtx } from "../_generated/server.js";
import { runCascade, type CascadeBudget, type CascadeTarget } from "./cascade.js";
import { findThread, type Owner } from "./owner.js";
import { bury } from "./tombstones.js";

/** Rows one deletion page removes (halved after each failed page, see `lib/jobs.ts`). */
export const DELETION_PAGE_ROWS = 4_000;
/** Bytes a page may read (each row counted twice: read, then deleted) and index queries it may run. */
const DELETION_PAGE_BYTES = 8 * 1024 * 1024;
const DELETION_PAGE_QUERIES = 1_000;

export const pageBudget = (rows: number): CascadeBudget => ({
  rows,
  bytes: Math.min(DELETION_PAGE_BYTES, rows * 64 * 1024),
  queries: DELETION_PAGE_QUERIES,
});

export type DeletionTarget =
  | { kind: "thread"; threadId: string }
  | { kind: "turn"; threadId: string; turnId: string }
  | { kind: "actor" }
  /** Turns started after `afterStartedAt` (all when undefined), up to `untilStartedAt`. */
  | { kind: "rollback"; threadId: string; afterStartedAt?: number; untilStartedAt: number };

/** Runs the target's cascade within `budget`; true when nothing of it is left. */
export async function deletePage(
  ctx: MutationCtx,
  owner: Owner,
  target: DeletionTarget,
  jobId: Id<"deletion_jobs"> | undefined,
  budget: CascadeBudget,
  deleted: Record<string, number>,
  now: number,
): Promise<boolean> {
  switch (target.kind) {
    case "thread":
      await bury(ctx, owner, target.threadId, undefined, jobId, now);
      return await runCascade(ctx, { kind: "thread", owner, threadId: target.threadId }, budget, { deleted });
    case "actor": {
      const hooks = {
        deleted,
        // Each thread is buried as it goes: a host still writing it is refused from then on.
        beforeDelete: async (table: TableNames, doc: Record<string, unknown>) => {
          if (table === "threads") await bury(ctx, owner, doc.threadId as string, undefined, jobId, now);
        },
      };
      return await runCascade(ctx, { kind: "actor", owner, keepJob: jobId }, budget, hooks);
    }
    case "turn":
      return await deleteTurn(ctx, owner, target.threadId, target.turnId, jobId, budget, deleted, now);
    case "rollback": {
      for (;;) {
        const next = await nextDroppedTurn(ctx, owner, target);
        if (!next) return true;
        if (!(await deleteTurn(ctx, owner, target.threadId, next.turnId, jobId, budget, deleted, now))) return false;
      }
    }
  }
}

/** The oldest turn of the rollback's range still stored. */
async function nextDroppedTurn(ctx: MutationCtx, owner: Owner, target: Extract<DeletionTarget, { kind: "rollback" }>) {
  return await ctx.db
    .query("turns")
    .withIndex("by_owner_thread_started", (q) => {
      const thread = q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", target.threadId);
      return target.afterStartedAt === undefined ? thread.lte("startedAt", target.untilStartedAt) : thread.gt("startedAt", target.afterStartedAt).lte("startedAt", target.untilStartedAt);
    })
    .first();
}

/** Deletes a turn's rows (its own row last); the thread loses what it counted. True when it is all gone. */
async function deleteTurn(
  ctx: MutationCtx,
  owner: Owner,
  threadId: string,
  turnId: string,
  jobId: Id<"deletion_jobs"> | undefined,
  budget: CascadeBudget,
  deleted: Record<string, number>,
  now: number,
): Promise<boolean> {
  const before = { turns: deleted.turns ?? 0, messages: deleted.messages ?? 0 };
  await bury(ctx, owner, threadId, turnId, jobId, now);
  const target: CascadeTarget = { kind: "turn", owner, threadId, turnId };
  const done = await runCascade(ctx, target, budget, { deleted });
  const turns = (deleted.turns ?? 0) - before.turns;
  await recount(ctx, owner, threadId, turns, (deleted.messages ?? 0) - before.messages, turns > 0 ? turnId : undefined, now);
  return done;
}

/** The thread after losing turns and messages: counts down, its last and active turn pointed at what is left. */
async function recount(ctx: MutationCtx, owner: Owner, threadId: string, turns: number, messages: number, gone: string | undefined, now: number) {
  if (turns === 0 && messages === 0) return;
  const thread = await findThread(ctx, owner, threadId);
  if (!thread) return;
  const patch: Partial<Doc<"threads">> = {
    turnCount: Math.max(0, thread.turnCount - turns),
    messageCount: Math.max(0, thread.messageCount - messages),
    updatedAt: now,
  };
  if (gone !== undefined && thread.activeTurnId === gone) patch.activeTurnId = undefined;
  if (gone !== undefined && thread.lastTurnId === gone) {
    const last = await ctx.db
      .query("turns")
      .withIndex("by_owner_thread_started", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .order("desc")
      .first();
    patch.lastTurnId = last?.turnId;
  }
  await ctx.db.patch("threads", thread._id, patch);
}

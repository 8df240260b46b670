/**
 * Turn rows are written from two directions: the ingest side inserts one when codex reports
 * `turn/started`, and `commands.complete` for a `startTurn` learns the codex turn id from the
 * bridge. Whichever comes first inserts the row (and counts the turn); the other only fills
 * in what it knows.
 */
import type { Id } from "../_generated/dataModel.js";
import type { MutationCtx, QueryCtx } from "../_generated/server.js";
import { ensureThread, type Owner } from "./owner.js";

export async function findTurn(ctx: QueryCtx, owner: Owner, threadId: string, turnId: string) {
  return await ctx.db
    .query("turns")
    .withIndex("by_owner_turn", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId),
    )
    .unique();
}

/** Links a started codex turn to the command that asked for it (and the session running it). */
export async function linkTurnToCommand(
  ctx: MutationCtx,
  owner: Owner,
  threadId: string,
  turnId: string,
  commandId: Id<"commands">,
  sessionId: string,
  now: number,
) {
  const turn = await findTurn(ctx, owner, threadId, turnId);
  if (turn) {
    if (turn.commandId === undefined) await ctx.db.patch("turns", turn._id, { commandId });
    return;
  }
  await ctx.db.insert("turns", { ...owner, threadId, turnId, status: "inProgress", commandId, sessionId, startedAt: now });
  const thread = await ensureThread(ctx, owner, threadId, now);
  await ctx.db.patch("threads", thread._id, {
    activeTurnId: turnId,
    lastTurnId: turnId,
    turnCount: thread.turnCount + 1,
    updatedAt: now,
  });
}

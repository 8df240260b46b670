/**
 * A turn never stays `inProgress` past the session whose codex runs it: when a session ends
 * (closed, swept stale, or re-opened by a new incarnation) its running turns end
 * `interrupted`, closing their open messages, items and streams as codex's own turn end
 * would. Should the same host come back (a renewed session after a network partition), codex's
 * real `turn/completed` still lands afterwards and wins.
 */
import type { MutationCtx } from "../_generated/server.js";
import type { Owner } from "../lib/owner.js";
import { closeBatch, openBatch } from "./apply.js";
import { turnCompleted } from "./turns.js";

/** Running turns of one session ended per call; a session runs at most one per thread. */
export const SESSION_TURNS_BATCH = 64;

export async function endTurnsOfSession(ctx: MutationCtx, owner: Owner, sessionId: string, reason: string, now: number): Promise<number> {
  const running = await ctx.db
    .query("turns")
    .withIndex("by_owner_session_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId).eq("status", "inProgress"),
    )
    .take(SESSION_TURNS_BATCH);
  for (const turn of running) {
    const batch = await openBatch(ctx, owner, turn.threadId, sessionId, now);
    await turnCompleted(batch, turn.turnId, { status: "interrupted", error: { message: reason } }, now);
    await closeBatch(batch);
  }
  return running.length;
}

/**
 * A turn never stays `inProgress` past the session whose codex runs it: when a session ends
 * (closed, swept stale, or re-opened by a new incarnation) its running turns end
 * `interrupted`, closing their open messages, items and streams as codex's own turn end
 * would. Should the same host come back (a renewed session after a network partition), codex's
 * real `turn/completed` still lands afterwards and wins.
 */
import type { MutationCtx } from "../_generated/server.js";
import { exhausted, skip, spend, type Budget } from "../lib/budget.js";
import type { Owner } from "../lib/owner.js";
import { closeBatch, openBatch } from "./apply.js";
import { turnCompleted } from "./turns.js";

/**
 * What ending one turn is counted as against the budget, beyond its own row: it closes the
 * turn's open messages, items and streams (a handful; a session runs one turn per thread).
 */
const TURN_END_ROWS = 16;

/** Ends, within `budget`, the running turns of a session that were running by `retiredAt`. Returns how many. */
export async function endTurnsOfSession(
  ctx: MutationCtx,
  owner: Owner,
  sessionId: string,
  reason: string,
  now: number,
  budget: Budget,
  retiredAt: number,
): Promise<number> {
  let ended = 0;
  if (exhausted(budget)) return ended;
  for await (const turn of ctx.db
    .query("turns")
    .withIndex("by_owner_session_status", (q) =>
      q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("sessionId", sessionId).eq("status", "inProgress"),
    )) {
    // A turn a re-opened session started since is the new process's.
    if (Math.floor(turn._creationTime) > retiredAt) skip(budget, turn);
    else {
      spend(budget, turn);
      budget.rows -= TURN_END_ROWS;
      const batch = await openBatch(ctx, owner, turn.threadId, sessionId, now);
      await turnCompleted(batch, turn.turnId, { status: "interrupted", error: { message: reason }, provisional: true }, now);
      await closeBatch(batch);
      ended++;
    }
    if (exhausted(budget)) break;
  }
  return ended;
}

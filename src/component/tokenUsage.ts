/**
 * Token usage as codex reports it (`thread/tokenUsage/updated`, one row per turn): the
 * thread's running total and how full the context window was at the last model request.
 */
import { v } from "convex/values";
import { query } from "./lib/functions.js";
import { ownerAndThread, requireThread } from "./lib/owner.js";
import { vv } from "./schema.js";
import { vActor } from "./validators.js";

/** Turns looked at, newest first: a turn that has not reported usage yet falls back to the one before. */
const RECENT_TURNS = 5;

/** The newest usage row among the thread's last few turns, or `null` before any was reported. */
export const latest = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.union(vv.doc("token_usage"), v.null()),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    await requireThread(ctx, owner, threadId);
    const turns = await ctx.db
      .query("turns")
      .withIndex("by_owner_thread_started", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .order("desc")
      .take(RECENT_TURNS);
    for (const turn of turns) {
      const usage = await ctx.db
        .query("token_usage")
        .withIndex("by_owner_turn", (q) =>
          q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turn.turnId),
        )
        .unique();
      if (usage) return usage;
    }
    return null;
  },
});

/** Typed items (commands, file changes, tool calls, …) for the UI's timeline reducer. */
import { v } from "convex/values";
import { query } from "./lib/functions.js";
import { ownerAndThread, requireNonEmpty } from "./lib/owner.js";
import { vv } from "./schema.js";
import { vActor } from "./validators.js";

const DEFAULT_LIMIT = 200;
const MAX_LIMIT = 1000;

/**
 * A turn's items in start order, or a thread's most recent `limit` items (turn ids are
 * time-ordered UUIDv7, so the index order is chronological), returned oldest first.
 */
export const listItems = query({
  args: { actor: vActor, threadId: v.string(), turnId: v.optional(v.string()), limit: v.optional(v.number()) },
  returns: v.array(vv.doc("items")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = args.turnId === undefined ? undefined : requireNonEmpty("turnId", args.turnId);
    const limit = Math.min(Math.max(1, Math.floor(args.limit ?? DEFAULT_LIMIT)), MAX_LIMIT);
    const rows = await ctx.db
      .query("items")
      .withIndex("by_owner_turn_started", (q) => {
        const thread = q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId);
        return turnId === undefined ? thread : thread.eq("turnId", turnId);
      })
      .order("desc")
      .take(limit);
    return rows.reverse();
  },
});

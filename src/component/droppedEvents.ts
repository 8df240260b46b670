/**
 * Events of a thread the host could not store (see `EVENT_DROPPED_KIND` in the contract):
 * what was lost (event id, type, method, turn and item) and why (code and message), newest
 * first, so a UI can say "part of this turn could not be saved" instead of going quiet.
 */
import { v } from "convex/values";
import { query } from "./lib/functions.js";
import { ownerAndThread } from "./lib/owner.js";
import { vv } from "./schema.js";
import { vActor } from "./validators.js";

const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 100;

export const list = query({
  args: { actor: vActor, threadId: v.string(), limit: v.optional(v.number()) },
  returns: v.array(vv.doc("dropped_events")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const limit = Math.min(Math.max(1, args.limit ?? DEFAULT_LIMIT), MAX_LIMIT);
    return await ctx.db
      .query("dropped_events")
      .withIndex("by_owner_thread_created", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
      )
      .order("desc")
      .take(limit);
  },
});

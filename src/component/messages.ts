/** Reads of durable messages: paginated newest-first for a thread, chronological for a turn. */
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v } from "convex/values";
import { query } from "./lib/functions.js";
import { ownerAndThread, requireNonEmpty } from "./lib/owner.js";
import { pageOf } from "./lib/pages.js";
import schema, { vv } from "./schema.js";
import { vActor } from "./validators.js";

/** A turn has a handful of messages; this only guards against a runaway turn. */
const TURN_MESSAGES_MAX = 500;

/** Newest first, in pages (see lib/pages.ts: pass `endCursor` to keep a page's end pinned). */
export const listMessages = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(vv.doc("messages")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const messages = paginator(ctx.db, schema)
      .query("messages")
      .withIndex("by_owner_thread_order", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId),
      )
      .order("desc");
    return await pageOf(messages, args.paginationOpts);
  },
});

export const listTurnMessages = query({
  args: { actor: vActor, threadId: v.string(), turnId: v.string() },
  returns: v.array(vv.doc("messages")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = requireNonEmpty("turnId", args.turnId);
    return await ctx.db
      .query("messages")
      .withIndex("by_owner_turn_order", (q) =>
        q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId),
      )
      .take(TURN_MESSAGES_MAX);
  },
});

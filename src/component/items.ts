/** Typed items (commands, file changes, tool calls, …) for the UI's timeline reducer. */
import { paginationOptsValidator, paginationResultValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v } from "convex/values";
import { query } from "./lib/functions.js";
import { ownerAndThread, requireNonEmpty } from "./lib/owner.js";
import { pageOf } from "./lib/pages.js";
import schema, { vv } from "./schema.js";
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

/**
 * A thread's items newest first, in pages (see lib/pages.ts: pass `endCursor` to keep a
 * page's end pinned), for history older than `listItems`' window. Reverse the loaded pages
 * for start order.
 */
export const listItemsPage = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: paginationResultValidator(vv.doc("items")),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const items = paginator(ctx.db, schema)
      .query("items")
      .withIndex("by_owner_turn_started", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .order("desc");
    return await pageOf(items, args.paginationOpts);
  },
});

/**
 * Token usage as codex reports it (`thread/tokenUsage/updated`, one row per turn): the
 * thread's running total, what each turn cost (`turn`), and how full the model's context
 * window was at the last model request (`contextTokens` of `modelContextWindow`).
 */
import { paginationOptsValidator } from "convex/server";
import { paginator } from "convex-helpers/server/pagination";
import { v } from "convex/values";
import { query } from "./lib/functions.js";
import { ownerAndThread, requireNonEmpty, requireThread } from "./lib/owner.js";
import { pageOf } from "./lib/pages.js";
import { vTokenUsagePage } from "./lib/returns.js";
import schema, { vv } from "./schema.js";
import { vActor } from "./validators.js";

/** The thread's newest usage row (its running total, the context at the last request), or `null` before any was reported. */
export const latest = query({
  args: { actor: vActor, threadId: v.string() },
  returns: v.union(vv.doc("token_usage"), v.null()),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    await requireThread(ctx, owner, threadId);
    return await ctx.db
      .query("token_usage")
      .withIndex("by_owner_thread_updated", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .order("desc")
      .first();
  },
});

/** One turn's usage (`turn`: what it cost), or `null` when it reported none. */
export const forTurn = query({
  args: { actor: vActor, threadId: v.string(), turnId: v.string() },
  returns: v.union(vv.doc("token_usage"), v.null()),
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const turnId = requireNonEmpty("turnId", args.turnId);
    return await ctx.db
      .query("token_usage")
      .withIndex("by_owner_turn", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId).eq("turnId", turnId))
      .unique();
  },
});

/** Every turn's usage, most recently reported first, in pages. */
export const listByThread = query({
  args: { actor: vActor, threadId: v.string(), paginationOpts: paginationOptsValidator },
  returns: vTokenUsagePage,
  handler: async (ctx, args) => {
    const { owner, threadId } = ownerAndThread(args.actor, args.threadId);
    const rows = paginator(ctx.db, schema)
      .query("token_usage")
      .withIndex("by_owner_thread_updated", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("threadId", threadId))
      .order("desc");
    return await pageOf(rows, args.paginationOpts);
  },
});

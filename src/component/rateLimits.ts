/**
 * The owner's account rate limits as codex last reported them: the host runtime reads them
 * when it connects (`account/rateLimits/read`) and records every `account/rateLimits/updated`.
 * codex's updates are sparse — a field it does not know in one update does not clear what an
 * earlier one said — so each report is merged into the limit's row.
 */
import { v } from "convex/values";
import { mutation, query } from "./lib/functions.js";
import { NAME_MAX_BYTES, truncateUtf8 } from "../contract/limits.js";
import { ownerOf } from "./lib/owner.js";
import { vv } from "./schema.js";
import { vActor, vRateLimitSnapshot, type RateLimitSnapshot } from "./validators.js";

/** Limits kept per owner (codex has one or two: `codex`, a model's own). */
const MAX_LIMITS = 20;

/** codex output: every name cut to its cap. */
function capped(snapshot: RateLimitSnapshot): RateLimitSnapshot {
  const cut = (text: string | undefined) => (text === undefined ? undefined : truncateUtf8(text, NAME_MAX_BYTES).text);
  const credits = snapshot.credits && { ...snapshot.credits, balance: cut(snapshot.credits.balance) };
  return {
    ...snapshot,
    limitId: cut(snapshot.limitId),
    limitName: cut(snapshot.limitName),
    planType: cut(snapshot.planType),
    rateLimitReachedType: cut(snapshot.rateLimitReachedType),
    ...(credits ? { credits } : {}),
  };
}

const defined = <T extends object>(value: T) => Object.fromEntries(Object.entries(value).filter(([, x]) => x !== undefined)) as T;

/** Records what codex reported (the bridge's call): merged into the limit's row. */
export const record = mutation({
  args: { actor: vActor, snapshot: vRateLimitSnapshot },
  returns: v.null(),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    const snapshot = defined(capped(args.snapshot));
    const limitKey = snapshot.limitId ?? "";
    const existing = await ctx.db
      .query("rate_limits")
      .withIndex("by_owner_limit", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId).eq("limitKey", limitKey))
      .unique();
    const now = Date.now();
    if (existing) await ctx.db.patch("rate_limits", existing._id, { snapshot: { ...existing.snapshot, ...snapshot }, updatedAt: now });
    else await ctx.db.insert("rate_limits", { ...owner, limitKey, snapshot, updatedAt: now });
    return null;
  },
});

/** The owner's limits, by `limitKey`; empty before codex reported any. */
export const get = query({
  args: { actor: vActor },
  returns: v.array(vv.doc("rate_limits")),
  handler: async (ctx, args) => {
    const owner = ownerOf(args.actor);
    return await ctx.db
      .query("rate_limits")
      .withIndex("by_owner_limit", (q) => q.eq("tenantId", owner.tenantId).eq("userId", owner.userId))
      .take(MAX_LIMITS);
  },
});
